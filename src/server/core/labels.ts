/** A label set: name → value. Metric name is kept separately. */
export type Labels = Readonly<Record<string, string>>;

/**
 * Canonical key of a series: metric name + labels sorted by name, JSON-encoded so that no
 * separator character in a value can make two different series collide.
 */
export function seriesKey(metric: string, labels: Labels): string {
  const names = Object.keys(labels).sort();
  const parts: string[] = [metric];
  for (const n of names) parts.push(n, labels[n] as string);
  return JSON.stringify(parts);
}

/** Returns a copy of `labels` with keys in sorted order (stable JSON for storage). */
export function sortLabels(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of Object.keys(labels).sort()) out[n] = labels[n] as string;
  return out;
}
