/**
 * The Kubernetes control plane of the Kubernetes suites: scripts/kube-install.sh (built once, cached
 * outside the clone) and scripts/kube-start.sh in a run directory and on ports of the tests' own, so
 * a developer's control plane (the default run dir) is never touched. Each start is an empty cluster.
 * Real or the run fails: only `E2E=skip` skips (the suites use describePulumi).
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT, scriptLastLine } from "./toolchain";

/** Run directory of the tests' control plane (kubeconfig, logs, pid files). */
export const KUBE_TEST_DIR = "/tmp/container-topology-kube-tests";

/** Ports of the tests' control plane, away from kube-start.sh's defaults (12379, 16443-16445). */
const TEST_PORTS = { ETCD_PORT: "22379", API_PORT: "26443" } as const;

const BIN_ENV = "CT_KUBE_BIN";

/** What a kubectl run gave. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The tests' control plane: its kubeconfig and a kubectl bound to it. */
export interface KubeCluster {
  readonly kubeconfig: string;
  readonly bin: string;
  /** Runs kubectl with this kubeconfig; `input` goes to stdin. Never throws on a non-zero exit. */
  kubectl(args: readonly string[], input?: string): KubectlResult;
  /** kubectl ... -o json, parsed; throws when kubectl fails. */
  getJson<T = Record<string, unknown>>(args: readonly string[]): T;
}

/**
 * Builds (or finds cached) the binaries and starts the tests' control plane (one fake node, a default
 * StorageClass with volumes); when it runs already with the same settings, only finds its kubeconfig.
 */
export function ensureKube(): KubeCluster {
  const bin = process.env[BIN_ENV] || scriptLastLine("kube-install.sh", [], "kubernetes control plane");
  process.env[BIN_ENV] = bin;
  const env = { ...process.env, ...TEST_PORTS, CT_KUBE_DIR: KUBE_TEST_DIR };
  const kubeconfig = scriptLastLine("kube-start.sh", [KUBE_TEST_DIR], "kubernetes control plane", env);
  const kubectl = (args: readonly string[], input?: string): KubectlResult => {
    const r = spawnSync(path.join(bin, "kubectl"), ["--kubeconfig", kubeconfig, ...args], { input, encoding: "utf8", timeout: 120_000 });
    return { code: r.status ?? 1, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
  };
  return {
    kubeconfig,
    bin,
    kubectl,
    getJson<T>(args: readonly string[]): T {
      const r = kubectl([...args, "-o", "json"]);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
  };
}

/** Stops the tests' control plane (safe when it does not run). */
export function stopKube(): void {
  execFileSync("bash", [path.join(REPO_ROOT, "scripts", "kube-stop.sh"), KUBE_TEST_DIR], { stdio: "inherit" });
}
