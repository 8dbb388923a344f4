import { ParseError } from '../../protocol/duration.js';
import type { LocalFields } from './zoned-time.js';

/** A parsed 5-field cron expression: the allowed values of each field, sorted. */
export interface CronSpec {
  minute: number[];
  hour: number[];
  day: number[];
  month: number[];
  /** 0 = Sunday … 6 = Saturday (7 in the input is folded to 0). */
  weekday: number[];
  /** True when the day-of-month field was `*` (affects the day/weekday OR rule). */
  dayStar: boolean;
  weekdayStar: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] as string[] },
  { name: 'hour', min: 0, max: 23, names: [] as string[] },
  { name: 'day of month', min: 1, max: 31, names: [] as string[] },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

function value(text: string, f: (typeof FIELDS)[number]): number {
  const named = (f.names as readonly string[]).indexOf(text.toLowerCase());
  if (named >= 0) return named + (f.name === 'month' ? 1 : 0);
  if (!/^\d{1,2}$/.test(text)) throw new ParseError(`cron ${f.name}: "${text}" is not a number`, 0);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new ParseError(`cron ${f.name}: ${n} is outside ${f.min}-${f.max}`, 0);
  return n;
}

function parseField(text: string, f: (typeof FIELDS)[number]): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) throw new ParseError(`cron ${f.name}: bad step "${stepText}"`, 0);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = f.min;
      hi = f.max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      lo = value(a, f);
      hi = value(b, f);
      if (lo > hi) throw new ParseError(`cron ${f.name}: range ${range} goes backwards`, 0);
    } else {
      lo = value(range, f);
      hi = stepText !== undefined ? f.max : lo;
    }
    for (let v = lo; v <= hi; v += step) out.add(f.name === 'day of week' && v === 7 ? 0 : v);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Parses a standard 5-field cron expression (`minute hour day-of-month month day-of-week`) with
 * `*`, lists, ranges, steps and month/weekday names. As in Vixie cron, when both day fields are
 * restricted a time matches if either matches.
 * @throws ParseError for anything else (never another exception).
 */
export function parseCron(text: string): CronSpec {
  if (typeof text !== 'string' || text.length > 200) throw new ParseError('cron expression must be a string of at most 200 characters', 0);
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) throw new ParseError('cron expression needs 5 fields: minute hour day-of-month month day-of-week', 0);
  const [minute, hour, day, month, weekday] = parts.map((p, i) => parseField(p, FIELDS[i] as (typeof FIELDS)[number])) as [number[], number[], number[], number[], number[]];
  return { minute, hour, day, month, weekday, dayStar: parts[2] === '*', weekdayStar: parts[4] === '*' };
}

/** Prints a spec as explicit lists (`parseCron(printCron(s))` equals `s` up to the star flags' meaning). */
export function printCron(s: CronSpec): string {
  const list = (xs: number[], star: boolean) => (star ? '*' : xs.join(','));
  return [s.minute.join(','), s.hour.join(','), list(s.day, s.dayStar), s.month.join(','), list(s.weekday, s.weekdayStar)].join(' ');
}

/** True when the wall-clock minute `f` matches the spec. */
export function cronMatches(s: CronSpec, f: LocalFields): boolean {
  if (!s.minute.includes(f.minute) || !s.hour.includes(f.hour) || !s.month.includes(f.month)) return false;
  const dayOk = s.day.includes(f.day);
  const weekdayOk = s.weekday.includes(f.weekday);
  if (s.dayStar || s.weekdayStar) return dayOk && weekdayOk;
  return dayOk || weekdayOk;
}
