/** Built-in "suggested fixes" texts, editable per rule (the rule's own text wins). */
export const DEFAULT_SUGGESTED_FIXES = {
  cpu: [
    'Find the busiest processes on the host page (top processes by CPU) or with `top -o %CPU`.',
    'Check for runaway jobs, tight loops or a recent deploy; restart or roll back the offender.',
    'If the load is legitimate, add cores or spread the work across more hosts.',
  ].join('\n'),
  memory: [
    'Find the largest processes by resident memory (host page, or `ps aux --sort=-rss | head`).',
    'Look for leaks: memory that only grows between deploys; restart the process as a stopgap.',
    'Check swap use and the kernel log for OOM kills (`journalctl -k | grep -i oom`).',
  ].join('\n'),
  disk: [
    'Find what grew: `du -xh --max-depth=2 <mount> | sort -h | tail`.',
    'Rotate or compress logs, prune old backups, container images (`docker system prune`) and caches.',
    'Extend the volume if growth is expected; check inode use when bytes are free but writes fail.',
  ].join('\n'),
  network: [
    'Check which interface and direction is affected on the host page; compare with the usual daily pattern.',
    'Look for a backup, sync or a client retry storm; `ss -tinp` and `iftop` show the top talkers.',
    'Errors per second point at cabling, NIC or driver problems: check `ip -s link` and the kernel log.',
  ].join('\n'),
  agentDown: [
    'Is the host up? Ping it or check the hypervisor/cloud console.',
    'Is the agent running? `systemctl status vigil-agent` (or the process list) and its log.',
    'Can it reach the server? Check DNS, firewall and the agent key (a revoked key gives 401 in the agent log).',
  ].join('\n'),
} as const;

/** The default text for a rule reading `metric` (or for absence rules), or null when none applies. */
export function defaultSuggestedFixes(ruleType: string, metric: string | null): string | null {
  if (ruleType === 'absence') return DEFAULT_SUGGESTED_FIXES.agentDown;
  if (metric === null) return null;
  if (/^(cpu_|load\d+$)/.test(metric)) return DEFAULT_SUGGESTED_FIXES.cpu;
  if (/^(memory_|swap_)/.test(metric)) return DEFAULT_SUGGESTED_FIXES.memory;
  if (/^(filesystem_|disk_)/.test(metric)) return DEFAULT_SUGGESTED_FIXES.disk;
  if (/^network_/.test(metric)) return DEFAULT_SUGGESTED_FIXES.network;
  return null;
}
