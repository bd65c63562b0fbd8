import * as fs from "fs";
import * as path from "path";
import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from "yaml";
import { PathSegment } from "../model/paths";

/** The config key the stack program (index.ts) reads its declaration from. */
export const TOPOLOGY_KEY = "container-topology:topology";

/** A stack's declaration exactly as the program sees it: `config.getObject` parses the JSON the engine passes. */
export function topologyDeclaration(stack: { readonly config: Readonly<Record<string, unknown>> }): unknown {
  const value = stack.config[TOPOLOGY_KEY];
  return value === undefined ? {} : JSON.parse(JSON.stringify(value));
}
/** Project name used when no Pulumi.yaml is found. */
export const DEFAULT_PROJECT = "container-topology";

/** Which stack to load: `--stack NAME` (Pulumi.NAME.yaml beside Pulumi.yaml) or `--file PATH`. */
export interface LoadStackOptions {
  /** Stack name; with `file`, overrides the name taken from the file name. */
  readonly stack?: string;
  /** Path of a stack settings file, e.g. a copy of Pulumi.dev.yaml elsewhere. */
  readonly file?: string;
  /** Where relative paths and `--stack` are resolved. @default process.cwd() */
  readonly cwd?: string;
}

/** A parsed YAML file, kept to point diagnostics at lines. */
interface SourceFile {
  /** As shown in messages: relative to the working directory when inside it. */
  readonly display: string;
  readonly document: Document;
  readonly lines: LineCounter;
}

/** Where one config value was written. */
interface ConfigOrigin {
  readonly file: SourceFile;
  /** Path of the value inside the YAML document. */
  readonly nodePath: readonly PathSegment[];
}

/** A stack's configuration as `pulumi up` would see it: project defaults, then the stack's own values. */
export interface LoadedStack {
  readonly stack: string;
  /** Project name (Pulumi.yaml `name`), the namespace of keys written without one. */
  readonly project: string;
  /** The stack settings file (absolute). */
  readonly file: string;
  /** The project file, when one was found (absolute). */
  readonly projectFile?: string;
  /** Every config value by full key (`namespace:key`): the stack's value, else the project's default. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Things the loader could not reproduce (ESC environments), reported as warnings. */
  readonly notes: readonly string[];
  /** @internal where each key's value was written */
  readonly origins: ReadonlyMap<string, ConfigOrigin>;
}

/** A stack that cannot be loaded: missing file, YAML syntax, wrong shapes. One problem a line, with `file:line:col`. */
export class StackLoadError extends Error {
  /** One line each: `Pulumi.dev.yaml:3:5: <problem>`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`cannot load the stack:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "StackLoadError";
    this.problems = problems;
  }
}

const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

function display(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function position(file: SourceFile, offset: number): string {
  const { line, col } = file.lines.linePos(offset);
  return `${file.display}:${line}:${col}`;
}

/** Parses a YAML file, throwing every syntax error with its line and column. */
function readYaml(cwd: string, file: string): SourceFile {
  const lines = new LineCounter();
  const source = { display: display(cwd, file), lines } as { display: string; lines: LineCounter; document: Document };
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new StackLoadError([`${source.display}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  source.document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const errors = source.document.errors;
  if (errors.length > 0) throw new StackLoadError(errors.map((e) => `${position(source, e.pos[0])}: ${e.message.split("\n")[0]}`));
  return source;
}

/** Stack names that have a settings file in `dir`. */
export function stacksIn(dir: string): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => STACK_FILE.exec(n)?.[1] ?? []).sort();
}

function findStackFile(cwd: string, options: LoadStackOptions): { file: string; stack: string } {
  if (options.file !== undefined) {
    const file = path.resolve(cwd, options.file);
    if (!fs.existsSync(file)) throw new StackLoadError([`${options.file}: no such file`]);
    const base = path.basename(file);
    return { file, stack: options.stack ?? STACK_FILE.exec(base)?.[1] ?? base.replace(/\.ya?ml$/, "") };
  }
  const stacks = stacksIn(cwd);
  const available = stacks.length > 0 ? `stacks here: ${stacks.join(", ")}` : `no Pulumi.<stack>.yaml in ${cwd}`;
  if (options.stack === undefined) {
    if (stacks.length === 1) return findStackFile(cwd, { stack: stacks[0]! });
    throw new StackLoadError([`choose a stack with --stack NAME or a settings file with --file PATH (${available})`]);
  }
  for (const ext of ["yaml", "yml"]) {
    const file = path.join(cwd, `Pulumi.${options.stack}.${ext}`);
    if (fs.existsSync(file)) return { file, stack: options.stack };
  }
  throw new StackLoadError([`Pulumi.${options.stack}.yaml: no such stack settings file (${available})`]);
}

/** The nearest Pulumi.yaml: beside the stack file, else in the working directory or above. */
function findProjectFile(stackFile: string, cwd: string): string | undefined {
  const candidates = [path.dirname(stackFile)];
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    candidates.push(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of candidates) {
    for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
  }
  return undefined;
}

const fullKey = (project: string, key: string) => (key.includes(":") ? key : `${project}:${key}`);

/** The `config:` map of a file, or a problem when it is not a map. */
function configMap(source: SourceFile): Record<string, unknown> {
  const contents = source.document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return {};
  if (!isMap(contents)) throw new StackLoadError([`${position(source, contents.range?.[0] ?? 0)}: must be a map of settings (name, runtime, config, ...)`]);
  const config = contents.get("config", true) as Node | undefined;
  if (config === undefined || (isScalar(config) && config.value === null)) return {};
  if (!isMap(config)) throw new StackLoadError([`${position(source, config.range?.[0] ?? 0)}: config: must be a map of keys to values`]);
  return config.toJS(source.document) as Record<string, unknown>;
}

const SCHEMA_FIELDS = new Set(["type", "description", "secret", "items", "default", "value"]);

/**
 * Loads a stack's settings the way the Pulumi CLI merges them (pulumi/pulumi
 * `sdk/go/common/workspace/config.go`, mergeConfig): Pulumi.yaml's project
 * `config:` supplies a value only for keys the stack file does not set, and a
 * stack value replaces the project one whole (objects are not merged). Keys
 * without a namespace belong to the project. Throws {@link StackLoadError}.
 */
export function loadStack(options: LoadStackOptions = {}): LoadedStack {
  const cwd = options.cwd ?? process.cwd();
  const { file, stack } = findStackFile(cwd, options);
  const stackSource = readYaml(cwd, file);
  const projectFile = findProjectFile(file, cwd);
  const projectSource = projectFile ? readYaml(cwd, projectFile) : undefined;
  const projectContents = projectSource?.document.toJS() as { name?: unknown } | null | undefined;
  const project = typeof projectContents?.name === "string" ? projectContents.name : DEFAULT_PROJECT;

  const config: Record<string, unknown> = {};
  const origins = new Map<string, ConfigOrigin>();
  const problems: string[] = [];
  const notes: string[] = [];
  if (projectSource) {
    for (const [key, raw] of Object.entries(configMap(projectSource))) {
      const isObject = typeof raw === "object" && raw !== null && !Array.isArray(raw);
      if (!isObject) {
        config[fullKey(project, key)] = raw;
        origins.set(fullKey(project, key), { file: projectSource, nodePath: ["config", key] });
        continue;
      }
      const fields = Object.keys(raw);
      const where = position(projectSource, offsetOf(projectSource.document, ["config", key]) ?? 0);
      if (fields.some((f) => !SCHEMA_FIELDS.has(f))) {
        problems.push(`${where}: config.${key}: an object value in Pulumi.yaml must be nested under "value:" (or "default:"); allowed fields: ${[...SCHEMA_FIELDS].join(", ")}`);
        continue;
      }
      const schema = raw as { value?: unknown; default?: unknown };
      // As the Pulumi CLI: `default` wins over `value` when both are set.
      const field = schema.default !== undefined ? "default" : schema.value !== undefined ? "value" : undefined;
      if (field === undefined) continue;
      config[fullKey(project, key)] = schema[field];
      origins.set(fullKey(project, key), { file: projectSource, nodePath: ["config", key, field] });
    }
  }
  for (const [key, value] of Object.entries(configMap(stackSource))) {
    config[fullKey(project, key)] = value;
    origins.set(fullKey(project, key), { file: stackSource, nodePath: ["config", key] });
  }
  const settings = stackSource.document.toJS() as { environment?: unknown } | null;
  if (settings?.environment !== undefined) {
    notes.push(`${stackSource.display}: environment: Pulumi ESC environments are not resolved here; values they would supply are missing from this plan`);
  }
  if (problems.length > 0) throw new StackLoadError(problems);
  return { stack, project, file, ...(projectFile ? { projectFile } : {}), config, notes, origins };
}

/** Offset of the deepest written node on a path: a map entry's key, a list item; undefined when nothing of it is written. */
function offsetOf(document: Document, segments: readonly PathSegment[]): number | undefined {
  let node: unknown = document.contents;
  let offset: number | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

/**
 * Where a value inside a config key was written, as `file:line:col`: the
 * entry's key for map entries, the item for list items. A path that does not
 * exist (a missing field) points at its nearest written ancestor.
 */
export function locate(loaded: LoadedStack, key: string, segments: readonly PathSegment[] = []): string | undefined {
  const origin = loaded.origins.get(key);
  if (!origin) return undefined;
  const offset = offsetOf(origin.file.document, [...origin.nodePath, ...segments]);
  return offset === undefined ? origin.file.display : position(origin.file, offset);
}
