import { parseImageRef, registryHost } from "../lib/image";
import { cidrsOverlap, parseAddress, parseCidr } from "../lib/ip";
import { globToRegExp, splitEntry } from "../lib/match";
import { resolveConfig } from "../lib/rule";
import { snapshot, Unknown, UndecidedError, UnknownValueError, unknownCheckingProxy } from "../lib/unknown";
import { engineProps, unknown } from "./support";

describe("snapshot (unknown values)", () => {
  it("reads the SDK proxy without throwing and marks each unknown with its path", () => {
    const props = engineProps({ a: "x", ports: [{ ip: unknown.string, external: 1 }], labels: unknown.array, nested: { flag: unknown.boolean } });
    expect(() => props["labels"]).toThrow(UnknownValueError);
    const snap = snapshot(props);
    expect(snap).toEqual({
      a: "x",
      ports: [{ ip: new Unknown("ports[0].ip", unknown.string), external: 1 }],
      labels: new Unknown("labels", unknown.array),
      nested: { flag: new Unknown("nested.flag", unknown.boolean) },
    });
  });

  it("also recognises raw sentinels that did not go through the proxy", () => {
    expect(snapshot({ ip: unknown.string })).toEqual({ ip: new Unknown("ip", unknown.string) });
  });

  it("keeps nulls and drops undefined", () => {
    expect(snapshot(unknownCheckingProxy({ a: null, b: undefined, c: [null] }))).toEqual({ a: null, c: [null] });
  });

  it("UndecidedError is the SDK's UnknownValueError, so the server reports it as advisory", () => {
    const e = new UndecidedError([
      { field: "ports[0].ip", sentinel: unknown.string },
      { field: "envs", sentinel: unknown.array },
    ]);
    expect(e).toBeInstanceOf(UnknownValueError);
    expect(e.message).toBe("could not decide: ports[0].ip, envs are unknown until apply");
    expect(e.fields).toEqual(["ports[0].ip", "envs"]);
  });
});

describe("ip helpers", () => {
  it.each([
    ["10.0.0.0/8", "10.255.0.0/16", true],
    ["10.0.0.0/16", "10.1.0.0/16", false],
    ["fd00::/8", "fd12:3456::/32", true],
    ["10.0.0.0/8", "fd00::/8", false],
    ["192.168.1.77/24", "192.168.1.0/28", true],
  ])("%s overlaps %s: %s", (a, b, expected) => {
    const ca = parseCidr(a);
    const cb = parseCidr(b);
    expect(ca && cb && cidrsOverlap(ca, cb)).toBe(expected);
  });

  it("parses only real addresses and CIDRs", () => {
    expect(parseCidr("10/8")).toBeUndefined();
    expect(parseCidr("not-a-cidr")).toBeUndefined();
    expect(parseAddress("1")).toBeUndefined();
    expect(parseAddress("[::1]")).toMatchObject({ family: "ipv6", text: "::1" });
    expect(parseAddress("::ffff:127.0.0.1")).toMatchObject({ family: "ipv4", text: "127.0.0.1" });
  });
});

describe("image references", () => {
  it.each([
    ["nginx", { repository: "nginx", isId: false }],
    ["nginx:1.27", { repository: "nginx", tag: "1.27", isId: false }],
    ["localhost:5001/app", { repository: "localhost:5001/app", isId: false }],
    ["localhost:5001/app:1", { repository: "localhost:5001/app", tag: "1", isId: false }],
    ["app@sha256:abc", { repository: "app", digest: "sha256:abc", isId: false }],
  ])("parses %j", (ref, expected) => {
    expect(parseImageRef(ref)).toEqual(expected);
  });

  it.each([
    ["localhost:5001/app:1", "localhost:5001"],
    ["registry.example/app", "registry.example"],
    ["acme/app", undefined],
    ["nginx", undefined],
  ])("registry host of %j is %j", (ref, host) => {
    expect(registryHost(ref)).toBe(host);
  });
});

describe("allow-list matching and config", () => {
  it("matches globs on the whole name only", () => {
    expect(globToRegExp("dev-*").test("dev-web")).toBe(true);
    expect(globToRegExp("dev-*").test("prod-dev-web")).toBe(false);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
  });

  it("splits entries at the last colon", () => {
    expect(splitEntry("kube-system/proxy:5000")).toEqual({ subject: "kube-system/proxy", detail: "5000" });
    expect(splitEntry("web")).toEqual({ subject: "web" });
  });

  it("overlays the stack's config on the schema defaults without sharing them", () => {
    const schema = { properties: { allow: { type: "array" as const, default: [] }, level: { type: "integer" as const, default: 3 } } };
    const a = resolveConfig<{ allow: string[]; level: number }>(schema, { level: 5 });
    a.allow.push("x");
    expect(a).toEqual({ allow: ["x"], level: 5 });
    expect(resolveConfig(schema, {})).toEqual({ allow: [], level: 3 });
  });
});
