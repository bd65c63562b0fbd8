import { canonicalGoDuration, formatGoDuration, parseGoDuration } from "../../../model/docker/duration";

describe("Go durations (time.ParseDuration / Duration.String)", () => {
  it.each([
    ["30s", 30_000_000_000n, "30s"],
    ["90s", 90_000_000_000n, "1m30s"],
    ["1.5h", 5_400_000_000_000n, "1h30m0s"],
    ["2h45m", 9_900_000_000_000n, "2h45m0s"],
    ["300ms", 300_000_000n, "300ms"],
    ["1500ms", 1_500_000_000n, "1.5s"],
    ["0", 0n, "0s"],
    ["1us", 1_000n, "1\u00b5s"],
    ["1.5\u00b5s", 1_500n, "1.5\u00b5s"],
    ["2\u03bcs", 2_000n, "2\u00b5s"],
    ["999ns", 999n, "999ns"],
    ["1.000000001s", 1_000_000_001n, "1.000000001s"],
    [".5s", 500_000_000n, "500ms"],
    ["1.s", 1_000_000_000n, "1s"],
    ["-1m", -60_000_000_000n, "-1m0s"],
    ["+5s", 5_000_000_000n, "5s"],
  ])("%s is %p ns, read back as %s", (text, ns, canonical) => {
    expect(parseGoDuration(text)).toBe(ns);
    expect(formatGoDuration(ns)).toBe(canonical);
    expect(canonicalGoDuration(text)).toBe(canonical);
  });

  it.each(["", "s", "1", "1x", "1m 30s", "1e3s", "30 sec", ".s", "--1s", "9223372037s"])("%p is not a Go duration", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
    expect(canonicalGoDuration(text)).toBe(text);
  });
});
