/** Wall-clock fields of an instant in a time zone. `weekday` is 0 = Sunday … 6 = Saturday. */
export interface LocalFields {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offset cache: `${tz}|${quarter-hour bucket}` → offset ms. Bounded by clearing when large. */
const offsets = new Map<string, number>();
const QUARTER_HOUR = 900_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name the runtime knows (e.g. `Europe/Berlin`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * UTC offset of `timeZone` at instant `ts` (ms; local = utc + offset). Offsets change only at
 * quarter-hour boundaries in every real zone, so one Intl call per quarter hour is enough.
 */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  const bucket = Math.floor(ts / QUARTER_HOUR);
  const key = `${timeZone}|${bucket}`;
  const hit = offsets.get(key);
  if (hit !== undefined) return hit;
  const probe = bucket * QUARTER_HOUR;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(probe))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year as number, (parts.month as number) - 1, parts.day as number, parts.hour as number, parts.minute as number, parts.second as number);
  const offset = asUtc - probe;
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** Wall-clock fields of `ts` (ms) in `timeZone`. */
export function localFields(ts: number, timeZone: string): LocalFields {
  const d = new Date(ts + zoneOffsetMs(ts, timeZone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay() };
}
