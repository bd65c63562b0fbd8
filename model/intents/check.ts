import { error, Issue, IssueCode, warning } from "../errors";
import { computeReachability, Reachability } from "../reachability";
import { TopologySpec } from "../types";
import { explainConnection } from "./explain";
import { readIntents } from "./read";

/**
 * Every connection a service means to make (its `connects`, its environment's URLs) that the
 * reachability does not satisfy: an error with the reason and the fix (a warning when marked
 * optional), and every `connects` entry that names no endpoint. Runs on a valid topology; returns the
 * reachability it computed, if it needed one, so the caller does not compute it again.
 */
export function checkIntents(topology: TopologySpec): { issues: Issue[]; reachability?: Reachability } {
  const { intents, unreadable } = readIntents(topology);
  const issues: Issue[] = unreadable.map((u) =>
    error(IssueCode.InvalidValue, u.path, `${JSON.stringify(u.written)} names no endpoint. Write host:port, a URL (http, https, postgres, mysql, redis, amqp, mongodb, grpc), or hostServices.<key>`),
  );
  if (intents.length === 0) return { issues };
  const reachability = computeReachability(topology);
  const services = new Map(topology.services.map((s) => [s.key, s]));
  for (const intent of intents) {
    const answer = explainConnection(topology, reachability, services.get(intent.service)!, intent.host, intent.port);
    if (answer.path.length > 0 || answer.reasons.length === 0) continue;
    const message = `${JSON.stringify(intent.written)} cannot connect: ${answer.reasons.join("; ")}${answer.fix ? `. Fix: ${answer.fix}` : ""}`;
    issues.push((intent.optional ? warning : error)(IssueCode.UnreachableIntent, intent.path, message));
  }
  return { issues, reachability };
}
