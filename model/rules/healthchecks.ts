import { error, Issue, IssueCode } from "../errors";
import { formatGoDuration, GO_DURATION_UNITS, parseGoDuration } from "../docker/duration";
import { joinPath } from "../paths";
import { Rule } from "./rule";

const MIN_NS = 1_000_000n; // Docker: "cannot be less than 1ms" (daemon/container.go, validateHealthCheck)

function checkDuration(path: string, text: string, issues: Issue[]): void {
  const ns = parseGoDuration(text);
  if (ns === undefined) {
    issues.push(error(IssueCode.InvalidDuration, path, `${JSON.stringify(text)} is not a Go duration. Write numbers with units (${GO_DURATION_UNITS}), e.g. "30s" or "1m30s"`));
  } else if (ns < 0n) {
    issues.push(error(IssueCode.InvalidDuration, path, `${JSON.stringify(text)} is negative, which Docker refuses`));
  } else if (ns > 0n && ns < MIN_NS) {
    issues.push(error(IssueCode.InvalidDuration, path, `${JSON.stringify(formatGoDuration(ns))} is below 1ms, which Docker refuses. Use at least "1ms", or "0s" for Docker's default`));
  }
}

/** Healthcheck durations are Go durations Docker accepts, and retries are not negative. */
export const healthchecks: Rule = {
  id: "healthchecks",
  summary: "healthcheck interval, timeout and startPeriod are Go durations of 0 or at least 1ms; retries is not negative",
  check({ topology }) {
    const issues: Issue[] = [];
    for (const service of topology.services) {
      const hc = service.healthcheck;
      if (!hc) continue;
      const at = (field: string) => joinPath("services", service.key, "healthcheck", field);
      checkDuration(at("interval"), hc.interval, issues);
      checkDuration(at("timeout"), hc.timeout, issues);
      checkDuration(at("startPeriod"), hc.startPeriod, issues);
      if (hc.retries < 0) issues.push(error(IssueCode.InvalidValue, at("retries"), `${hc.retries} is negative, which Docker refuses: use 0 for Docker's default (3) or more`));
    }
    return issues;
  },
};
