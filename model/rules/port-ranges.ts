import { error, Issue, IssueCode } from "../errors";
import { joinPath } from "../paths";
import { LazyPath, readIp } from "./address-checks";
import { Rule } from "./rule";

/** True for an integer in 1-65535. */
export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

function checkPort(path: LazyPath, value: number | undefined, issues: Issue[], published = false) {
  if (value === undefined || isPort(value)) return;
  const hint = value === 0 && published ? ". To let Docker pick a free host port, leave published out" : "";
  issues.push(error(IssueCode.PortOutOfRange, typeof path === "string" ? path : path(), `${value} is not a port: use 1-65535${hint}`));
}

/** Every port is in 1-65535 and every host IP parses. */
export const portRanges: Rule = {
  id: "port-ranges",
  summary: "target, published, expose and host-service ports are within 1-65535; host IPs are valid addresses",
  check({ topology }) {
    const issues: Issue[] = [];
    for (const service of topology.services) {
      for (const port of service.ports) {
        // Paths are built only for an issue: thousands of ports, rarely a bad one.
        const at = (field: string) => () => joinPath("services", service.key, "ports", port.index, field);
        checkPort(at("target"), port.target, issues);
        checkPort(at("published"), port.published, issues, true);
        readIp(at("hostIp"), port.hostIp, undefined, issues);
      }
      for (const expose of service.expose) checkPort(() => joinPath("services", service.key, "expose", expose.index), expose.port, issues);
    }
    for (const host of topology.hostServices) {
      checkPort(joinPath("hostServices", host.key, "port"), host.port, issues);
      readIp(joinPath("hostServices", host.key, "address"), host.address, undefined, issues);
    }
    return issues;
  },
};
