/**
 * Linux capabilities the way Docker stores and reports them: upper case with the `CAP_` prefix
 * (`net_admin` and `NET_ADMIN` are kept as `CAP_NET_ADMIN`), except the keyword `ALL`. The docker
 * provider reads them back in that form, so rendering it keeps a refresh free of diffs.
 */
export function canonicalCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === "ALL" || upper === "") return upper;
  return upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
}
