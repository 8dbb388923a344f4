/** A process reading with the figures used for ranking. */
export interface RankedProcess {
  pid: number;
  cpuPercent: number;
  rssBytes: number;
}

/**
 * The union of the top `n` processes by CPU and the top `n` by resident memory (at most 2n),
 * ordered by CPU then memory, both descending; ties broken by pid so the result is stable.
 */
export function selectTopProcesses<T extends RankedProcess>(all: readonly T[], n: number): T[] {
  if (n <= 0) return [];
  const byCpu = [...all].sort((a, b) => b.cpuPercent - a.cpuPercent || b.rssBytes - a.rssBytes || a.pid - b.pid);
  const byMem = [...all].sort((a, b) => b.rssBytes - a.rssBytes || b.cpuPercent - a.cpuPercent || a.pid - b.pid);
  const chosen = new Set<T>([...byCpu.slice(0, n), ...byMem.slice(0, n)]);
  return byCpu.filter((p) => chosen.has(p));
}
