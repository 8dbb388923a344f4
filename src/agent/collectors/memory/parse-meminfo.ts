/**
 * Parses /proc/meminfo into bytes per key (`MemTotal` → bytes). Values with a `kB` unit are
 * multiplied by 1024 (the kernel's "kB" is KiB); unit-less values (HugePages_*) are counts.
 */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (!m) continue;
    const v = Number(m[2]);
    out.set(m[1] as string, line.trimEnd().endsWith('kB') ? v * 1024 : v);
  }
  return out;
}
