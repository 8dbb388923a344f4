import type { MaintenanceSchedule } from '../../protocol/alerting.js';
import { parseDuration, ParseError } from '../../protocol/duration.js';
import { errors } from '../core/errors.js';
import { cronMatches, parseCron, type CronSpec } from './cron.js';
import { isTimeZone, localFields } from './zoned-time.js';

const MINUTE = 60_000;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** Longest cron window, ms (7 days): bounds the backward scan of {@link CompiledSchedule.activeAt}. */
export const MAX_CRON_WINDOW_MS = 7 * 86_400_000;
/** How far {@link CompiledSchedule.nextStart} looks ahead, ms (35 days). */
export const NEXT_START_HORIZON_MS = 35 * 86_400_000;

/** A recurring schedule compiled for fast "is it active at t?" checks in its time zone. */
export interface CompiledSchedule {
  activeAt(ts: number): boolean;
  /** First minute ≥ `from` at which the window starts (inactive → active), within 35 days; else null. */
  nextStart(from: number): number | null;
}

function parseClock(text: unknown, field: string): number {
  const m = typeof text === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text) : null;
  if (!m) throw errors.validation(`${field} must be a time "HH:MM" (24 h)`, { field });
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Validates a schedule and its time zone and compiles it. Weekly windows whose end is not after
 * the start run overnight (22:00–02:00 ends the next day); equal start and end means 24 h.
 * @throws VigilError VIGIL_ERR_VALIDATION with the offending field.
 */
export function compileSchedule(schedule: MaintenanceSchedule, timeZone: string): CompiledSchedule {
  if (!isTimeZone(timeZone)) throw errors.validation('timeZone must be an IANA time zone such as "Europe/Berlin" or "UTC"', { field: 'timeZone' });
  if (typeof schedule !== 'object' || schedule === null) throw errors.validation('schedule must be {kind: "weekly", …} or {kind: "cron", …}', { field: 'schedule' });
  if (schedule.kind === 'weekly') return weekly(schedule, timeZone);
  if (schedule.kind === 'cron') return cron(schedule, timeZone);
  throw errors.validation('schedule.kind must be "weekly" or "cron"', { field: 'schedule.kind' });
}

/**
 * Adds `nextStart` to an `activeAt` predicate. `mayStart(t)` is a cheap filter of minutes at which
 * a window can begin (every minute for weekly windows, cron matches for cron windows), so the
 * expensive `activeAt` runs only there.
 */
function withNextStart(activeAt: (ts: number) => boolean, mayStart: (ts: number) => boolean = () => true): CompiledSchedule {
  return {
    activeAt,
    nextStart(from) {
      const first = Math.ceil(from / MINUTE) * MINUTE;
      for (let t = first; t <= first + NEXT_START_HORIZON_MS; t += MINUTE) {
        if (mayStart(t) && activeAt(t) && !activeAt(t - MINUTE)) return t;
      }
      return null;
    },
  };
}

function weekly(s: Extract<MaintenanceSchedule, { kind: 'weekly' }>, tz: string): CompiledSchedule {
  if (!Array.isArray(s.days) || s.days.length === 0 || s.days.some((d) => !(DAY_NAMES as readonly string[]).includes(d))) {
    throw errors.validation('schedule.days must list days like ["mon","tue"]', { field: 'schedule.days' });
  }
  const days = new Set(s.days.map((d) => (DAY_NAMES as readonly string[]).indexOf(d)));
  const start = parseClock(s.start, 'schedule.start');
  const end = parseClock(s.end, 'schedule.end');
  return withNextStart((ts) => {
    const f = localFields(ts, tz);
    const m = f.hour * 60 + f.minute;
    const yesterday = (f.weekday + 6) % 7;
    if (start < end) return days.has(f.weekday) && m >= start && m < end;
    return (days.has(f.weekday) && m >= start) || (days.has(yesterday) && m < end);
  });
}

function cron(s: Extract<MaintenanceSchedule, { kind: 'cron' }>, tz: string): CompiledSchedule {
  let spec: CronSpec;
  let duration: number;
  try {
    spec = parseCron(s.cron);
  } catch (err) {
    throw errors.validation(`schedule.cron: ${err instanceof ParseError ? err.message : 'invalid'}`, { field: 'schedule.cron' });
  }
  try {
    duration = parseDuration(s.duration);
  } catch (err) {
    throw errors.validation(`schedule.duration: ${err instanceof ParseError ? err.message : 'invalid'}`, { field: 'schedule.duration' });
  }
  if (duration < MINUTE || duration > MAX_CRON_WINDOW_MS) throw errors.validation('schedule.duration must be between 1m and 7d', { field: 'schedule.duration' });
  // Active when some cron start s satisfies s <= ts < s + duration: scan the starts backwards.
  const startsAt = (t: number) => cronMatches(spec, localFields(t, tz));
  return withNextStart((ts) => {
    const newest = Math.floor(ts / MINUTE) * MINUTE;
    for (let t = newest; t > ts - duration; t -= MINUTE) if (startsAt(t)) return true;
    return false;
  }, startsAt);
}
