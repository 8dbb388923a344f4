import type { Logger } from '../options/command.js';

/**
 * Wraps a logger so that every event carries `fields` (e.g. `{collector: "cpu"}`) and every
 * occurrence of a secret in the message or in string fields (at any depth) is replaced by
 * `[redacted]`. Secrets shorter than 4 characters are ignored (they would mangle ordinary words).
 */
export function scopedLogger(log: Logger, fields: Record<string, unknown> = {}, secrets: readonly string[] = []): Logger {
  const hidden = secrets.filter((s) => s.length >= 4);
  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redact(value, hidden);
    if (value instanceof Error) {
      const copy = new Error(redact(value.message, hidden));
      copy.name = value.name;
      const code = (value as { code?: unknown }).code;
      if (code !== undefined) (copy as { code?: unknown }).code = code;
      return copy;
    }
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v, depth + 1)]));
  };
  const wrap =
    (fn: Logger['info']): Logger['info'] =>
    (msg, extra) =>
      fn(redact(msg, hidden), clean({ ...fields, ...extra }, 0) as Record<string, unknown>);
  return {
    debug: wrap((m, f) => log.debug(m, f)),
    info: wrap((m, f) => log.info(m, f)),
    warn: wrap((m, f) => log.warn(m, f)),
    error: wrap((m, f) => log.error(m, f)),
  };
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
  return out;
}
