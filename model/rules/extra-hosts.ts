import { error, Issue, IssueCode } from "../errors";
import { parseIp } from "../ip";
import { joinPath } from "../paths";
import { quote } from "../suggest";
import { HOST_GATEWAY } from "../types";
import { isDnsName } from "./aliases";
import { Rule } from "./rule";

/**
 * Extra hosts (`--add-host name:ip`) map a host name to an IPv4/IPv6 address
 * or to `host-gateway`. Docker refuses anything else, but only when it creates
 * the container: a name such as `localhost` in the address, or a space in the name.
 */
export const extraHosts: Rule = {
  id: "extra-hosts",
  summary: "extraHosts map a DNS name to an IPv4/IPv6 address or host-gateway",
  check({ topology }) {
    const issues: Issue[] = [];
    for (const service of topology.services) {
      service.extraHosts.forEach((mapping, index) => {
        const at = (field: string) => joinPath("services", service.key, "extraHosts", index, field);
        if (!isDnsName(mapping.host)) {
          issues.push(error(IssueCode.InvalidName, at("host"), `${quote(mapping.host)} is not a host name: use letters, digits, "-" and "_", in dot-separated labels`));
        }
        if (mapping.ip !== HOST_GATEWAY && !parseIp(mapping.ip)) {
          issues.push(error(IssueCode.InvalidIp, at("ip"), `${quote(mapping.ip)} is not an IP address or "host-gateway": write an address such as "10.0.0.5", or "host-gateway" for the Docker host`));
        }
      });
    }
    return issues;
  },
};
