import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ParseError } from '../../protocol/duration.js';
import { cronMatches, parseCron, printCron } from './cron.js';
import { compileSchedule } from './maintenance-schedule.js';
import { localFields } from './zoned-time.js';

describe('cron', () => {
  it('parses lists, ranges, steps and names', () => {
    const c = parseCron('*/15 2-4 * jan,jun mon-fri');
    assert.deepEqual(c.minute, [0, 15, 30, 45]);
    assert.deepEqual(c.hour, [2, 3, 4]);
    assert.deepEqual(c.month, [1, 6]);
    assert.deepEqual(c.weekday, [1, 2, 3, 4, 5]);
    assert.deepEqual(parseCron('0 0 * * 7').weekday, [0], '7 is Sunday');
    assert.deepEqual(parseCron('5/20 * * * *').minute, [5, 25, 45]);
  });

  it('uses the day-of-month OR day-of-week rule when both are restricted', () => {
    const c = parseCron('0 12 1 * mon');
    assert.equal(cronMatches(c, { year: 2026, month: 3, day: 1, hour: 12, minute: 0, weekday: 0 }), true, 'the 1st, a Sunday');
    assert.equal(cronMatches(c, { year: 2026, month: 3, day: 2, hour: 12, minute: 0, weekday: 1 }), true, 'a Monday');
    assert.equal(cronMatches(c, { year: 2026, month: 3, day: 3, hour: 12, minute: 0, weekday: 2 }), false);
  });

  it('rejects bad input with a ParseError', () => {
    for (const bad of ['', '* * * *', '60 * * * *', '* 24 * * *', '*/0 * * * *', '5-1 * * * *', 'x * * * *', '* * * foo *']) {
      assert.throws(() => parseCron(bad), ParseError, bad);
    }
  });

  it('property: printCron round-trips and arbitrary text only raises ParseError', () => {
    const field = (min: number, max: number) => fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 6 }).map((xs) => xs.sort((a, b) => a - b));
    fc.assert(
      fc.property(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 6), (minute, hour, day, month, weekday) => {
        const spec = { minute, hour, day, month, weekday, dayStar: false, weekdayStar: false };
        assert.deepEqual(parseCron(printCron(spec)), spec);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        try {
          parseCron(text);
        } catch (err) {
          assert.ok(err instanceof ParseError, `unexpected ${String(err)}`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('maintenance schedules', () => {
  const at = (iso: string) => Date.parse(iso);

  it('weekly windows respect the time zone and run overnight', () => {
    const w = compileSchedule({ kind: 'weekly', days: ['sat'], start: '22:00', end: '02:00' }, 'Europe/Berlin');
    // 2026-01-10 is a Saturday; Berlin is UTC+1 in winter.
    assert.equal(w.activeAt(at('2026-01-10T20:59:00Z')), false);
    assert.equal(w.activeAt(at('2026-01-10T21:00:00Z')), true, '22:00 Berlin');
    assert.equal(w.activeAt(at('2026-01-11T00:59:00Z')), true, '01:59 Sunday Berlin (overnight part)');
    assert.equal(w.activeAt(at('2026-01-11T01:00:00Z')), false);
    assert.equal(w.nextStart(at('2026-01-05T00:00:00Z')), at('2026-01-10T21:00:00Z'));
  });

  it('follows daylight saving time', () => {
    const w = compileSchedule({ kind: 'weekly', days: ['sun'], start: '03:00', end: '04:00' }, 'Europe/Berlin');
    // 2026-07-05 is a Sunday in summer time (UTC+2).
    assert.equal(w.activeAt(at('2026-07-05T01:30:00Z')), true);
    assert.equal(w.activeAt(at('2026-07-05T02:30:00Z')), false);
    assert.deepEqual(localFields(at('2026-07-05T01:30:00Z'), 'Europe/Berlin'), { year: 2026, month: 7, day: 5, hour: 3, minute: 30, weekday: 0 });
  });

  it('cron windows last for their duration after each start', () => {
    const w = compileSchedule({ kind: 'cron', cron: '30 2 * * *', duration: '90m' }, 'UTC');
    assert.equal(w.activeAt(at('2026-02-01T02:29:00Z')), false);
    assert.equal(w.activeAt(at('2026-02-01T02:30:00Z')), true);
    assert.equal(w.activeAt(at('2026-02-01T03:59:59Z')), true);
    assert.equal(w.activeAt(at('2026-02-01T04:00:00Z')), false);
    assert.equal(w.nextStart(at('2026-02-01T05:00:00Z')), at('2026-02-02T02:30:00Z'));
  });

  it('rejects unknown zones and bad fields with validation errors', () => {
    assert.throws(() => compileSchedule({ kind: 'weekly', days: ['mon'], start: '01:00', end: '02:00' }, 'Mars/Olympus'), /timeZone/);
    assert.throws(() => compileSchedule({ kind: 'weekly', days: ['xyz' as 'mon'], start: '01:00', end: '02:00' }, 'UTC'), /days/);
    assert.throws(() => compileSchedule({ kind: 'weekly', days: ['mon'], start: '25:00', end: '02:00' }, 'UTC'), /start/);
    assert.throws(() => compileSchedule({ kind: 'cron', cron: '* * *', duration: '1h' }, 'UTC'), /cron/);
    assert.throws(() => compileSchedule({ kind: 'cron', cron: '* * * * *', duration: '30d' }, 'UTC'), /duration/);
  });
});
