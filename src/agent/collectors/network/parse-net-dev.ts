/** Cumulative counters of one interface from /proc/net/dev. */
export interface InterfaceCounters {
  name: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
}

/**
 * Parses /proc/net/dev (two header lines, then `name: 8 receive and 8 transmit columns`). Old
 * kernels glue large byte counts to the colon (`eth0:123`), so the name is split at the colon.
 */
export function parseNetDev(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (name === '' || f.length < 16 || !f.every(Number.isFinite)) continue;
    out.push({ name, rxBytes: f[0]!, rxPackets: f[1]!, rxErrors: f[2]!, txBytes: f[8]!, txPackets: f[9]!, txErrors: f[10]! });
  }
  return out;
}
