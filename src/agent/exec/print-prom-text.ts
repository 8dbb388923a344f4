import type { PromFamilyMeta, PromSample } from './parse-prom-text.js';

/** Formats a float64 so that `Number(text)` gives it back exactly (including -0). */
export function formatPromValue(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Escapes a label value: backslash, double quote and newline. */
export function escapeLabelValue(v: string): string {
  return v.replace(/[\\"\n]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '"' ? '\\"' : '\\n'));
}

/** Escapes a HELP docstring: backslash and newline. */
export function escapeHelp(v: string): string {
  return v.replace(/[\\\n]/g, (ch) => (ch === '\\' ? '\\\\' : '\\n'));
}

/**
 * Prints samples in the Prometheus text format, with `# HELP` / `# TYPE` lines before the first
 * sample of each family in `families`. `parsePromText(printPromText(s, f))` gives back `s` and `f`.
 */
export function printPromText(samples: readonly PromSample[], families: ReadonlyMap<string, PromFamilyMeta> = new Map()): string {
  const lines: string[] = [];
  const announced = new Set<string>();
  const announce = (name: string) => {
    if (announced.has(name)) return;
    announced.add(name);
    const meta = families.get(name);
    if (meta?.help !== undefined) lines.push(`# HELP ${name} ${escapeHelp(meta.help)}`);
    if (meta?.type !== undefined) lines.push(`# TYPE ${name} ${meta.type}`);
  };
  for (const s of samples) {
    announce(s.metric);
    const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
    const ts = s.timestampMs === undefined ? '' : ` ${s.timestampMs}`;
    lines.push(`${s.metric}${labels.length ? `{${labels.join(',')}}` : ''} ${formatPromValue(s.value)}${ts}`);
  }
  for (const name of families.keys()) announce(name);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
