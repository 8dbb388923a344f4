/**
 * Minimal parser of the Prometheus text exposition format, enough to replay node_exporter scrapes
 * in the benchmarks (the production parser lives in `src/server/ingest/`). Returns `series key →
 * value`; comments, blank lines and malformed lines are skipped.
 */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const keyEnd = seriesKeyEnd(line);
    if (keyEnd < 0) continue;
    const rest = line.slice(keyEnd).trim().split(/\s+/);
    const value = parseSampleValue(rest[0] ?? '');
    if (value !== undefined) out.set(line.slice(0, keyEnd), value);
  }
  return out;
}

/** Index just after the series key (`name` or `name{...}`), honouring quoted label values. */
function seriesKeyEnd(line: string): number {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  if (brace < 0 || (space >= 0 && space < brace)) return space;
  let inQuote = false;
  for (let i = brace + 1; i < line.length; i++) {
    const c = line[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '}') return i + 1;
  }
  return -1;
}

function parseSampleValue(s: string): number | undefined {
  if (s === 'NaN') return NaN;
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  const v = Number(s);
  return s !== '' && !Number.isNaN(v) ? v : undefined;
}
