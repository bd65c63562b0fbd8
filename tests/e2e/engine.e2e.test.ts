/**
 * Proves the e2e harness against the real engine: name resolution by alias on
 * a user bridge, isolation between two bridges, and a host service reached via
 * host.docker.internal:host-gateway only when it listens beyond loopback.
 */
import type Docker from "dockerode";
import {
  canConnect,
  cleanup,
  connectEngine,
  containerIp,
  describeE2E,
  exec,
  hostListener,
  runProbe,
  E2E_PREFIX,
} from "./support/engine";

const P = `${E2E_PREFIX}engine-`;
const HTTPD = ["httpd", "-f", "-p", "8080", "-h", "/etc"];
const HOST_GATEWAY = "host.docker.internal:host-gateway";

jest.setTimeout(120_000);

describeE2E("e2e harness (real engine)", () => {
  let docker: Docker;

  beforeAll(async () => {
    docker = await connectEngine();
    await cleanup(P, docker);
    await docker.createNetwork({ Name: `${P}a`, Driver: "bridge" });
    await docker.createNetwork({ Name: `${P}b`, Driver: "bridge" });
    await runProbe(docker, { name: `${P}web`, network: `${P}a`, aliases: ["web"], cmd: HTTPD });
    await runProbe(docker, { name: `${P}client`, network: `${P}a`, extraHosts: [HOST_GATEWAY] });
    await runProbe(docker, { name: `${P}other`, network: `${P}b`, cmd: HTTPD });
  });

  afterAll(async () => {
    if (docker) await cleanup(P, docker);
  });

  it("resolves a container by its alias on a user bridge and connects to it", async () => {
    const webIp = await containerIp(docker, `${P}web`, `${P}a`);
    const lookup = await exec(docker, `${P}client`, ["nslookup", "web"]);
    expect(lookup.exitCode).toBe(0);
    expect(lookup.stdout).toContain(webIp);
    expect(await canConnect(docker, `${P}client`, "web", 8080)).toBe(true);
    // and by container name as well
    expect(await canConnect(docker, `${P}client`, `${P}web`, 8080)).toBe(true);
  });

  it("exec reports the exit code and output", async () => {
    const r = await exec(docker, `${P}client`, "echo hello; echo oops >&2; exit 3");
    expect(r).toEqual({ exitCode: 3, stdout: "hello\n", stderr: "oops\n" });
  });

  it("cannot reach a container on another bridge, by name or by IP", async () => {
    const otherIp = await containerIp(docker, `${P}other`, `${P}b`);
    // sanity: the target does listen
    expect(await canConnect(docker, `${P}other`, "127.0.0.1", 8080)).toBe(true);
    expect(await canConnect(docker, `${P}client`, otherIp, 8080, 1)).toBe(false);
    const lookup = await exec(docker, `${P}client`, ["nslookup", `${P}other`]);
    expect(lookup.stdout).not.toContain(otherIp);
  });

  it("reaches a host listener on 0.0.0.0 via host.docker.internal, not one on 127.0.0.1", async () => {
    const open = await hostListener("0.0.0.0", 0);
    const loopback = await hostListener("127.0.0.1", 0);
    try {
      expect(await canConnect(docker, `${P}client`, "host.docker.internal", open.port)).toBe(true);
      expect(open.connections()).toBeGreaterThanOrEqual(1);
      expect(await canConnect(docker, `${P}client`, "host.docker.internal", loopback.port)).toBe(false);
      expect(loopback.connections()).toBe(0);
    } finally {
      await open.close();
      await loopback.close();
    }
  });
});
