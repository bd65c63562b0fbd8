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

/** Linux capabilities every Docker engine knows (CAP_CHOWN .. CAP_AUDIT_READ, kernel 3.16+). */
export const DOCKER_CAPABILITIES: readonly string[] = [
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
  "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT",
  "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
  "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
].map((c) => `CAP_${c}`);

/** Newer capabilities (kernel 5.8/5.9) that older engines refuse: Debian's docker.io 28.2 does (docs/engine-facts.md (p)). */
export const RECENT_CAPABILITIES: readonly string[] = ["PERFMON", "BPF", "CHECKPOINT_RESTORE"].map((c) => `CAP_${c}`);
