/**
 * Security event search on SQLite (issue 6): 1 M events over 30 days in a real `vigil.db`,
 * then the SOC view's queries — one day + one severity, first page sorted by time (target p99
 * ≤ 50 ms), the same with the exact total and facets, sorted by severity, and free text.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECURITY_EVENT_TYPES, type SecurityEvent, type Severity } from '../src/protocol/security.js';
import { ManualClock } from '../src/server/core/clock.js';
import { SqlSecurityEventRepo } from '../src/server/storage/sql/sql-security-event-repo.js';
import { SQLITE_MIGRATIONS } from '../src/server/storage/sqlite/migrations.js';
import { migrateSqlite, openSqlite } from '../src/server/storage/sqlite/sqlite-db.js';
import type { SecurityEventFilter } from '../src/server/storage/security-event-repo.js';
import { median, percentile } from './support/server-process.js';
import type { BenchFigure, BenchSuite } from './bench-types.js';

const DAY = 86_400_000;
const DAYS = 30;
const HOSTS = 200;
const BATCH = 5000;

/** Severity mix of a real feed: mostly low, few critical. */
function severityOf(i: number): Severity {
  const r = (i * 2654435761) % 100;
  return r < 50 ? 'low' : r < 80 ? 'medium' : r < 95 ? 'high' : 'critical';
}

function event(i: number, t0: number, n: number): SecurityEvent {
  const host = `host-${i % HOSTS}`;
  const ip = `203.0.${(i >> 8) & 255}.${i & 255}`;
  return {
    event_id: randomUUID(),
    ts: t0 + Math.floor((i / n) * DAYS * DAY),
    host,
    agent_id: null,
    event_type: SECURITY_EVENT_TYPES[(i * 7) % SECURITY_EVENT_TYPES.length] as SecurityEvent['event_type'],
    severity: severityOf(i),
    source: 'bench',
    description: `Failed password for user${i % 500} from ${ip} port ${1024 + (i % 60000)} ssh2`,
    metadata: { src_ip: ip, user: `user${i % 500}` },
    triage: 'new',
    suppressed_by: null,
    received_at: t0,
  };
}

async function timeIt(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    out.push(performance.now() - start);
  }
  return out;
}

function figures(name: string, ms: number[], target: string | undefined, note: string): BenchFigure[] {
  return [
    { name: `${name}_p50`, value: median(ms), unit: 'ms', ...(target ? { target } : {}), note },
    { name: `${name}_p99`, value: percentile(ms, 99), unit: 'ms', ...(target ? { target } : {}), note },
  ];
}

export const suite: BenchSuite = {
  name: 'security-events',
  description: 'SQLite security event store: 1 M events, filtered query p50/p99 (one day, one severity, first page by time), facets, free text',
  async run({ quick, log }) {
    const n = quick ? 200_000 : 1_000_000;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-sec-'));
    const db = openSqlite({ path: join(dir, 'vigil.db'), durability: 'D' });
    try {
      migrateSqlite(db, SQLITE_MIGRATIONS);
      const repo = new SqlSecurityEventRepo(db);
      const clock = new ManualClock(Date.UTC(2026, 11, 6));
      const t0 = clock.now() - DAYS * DAY;
      log(`inserting ${n} events`);
      const insertStart = performance.now();
      for (let i = 0; i < n; i += BATCH) await repo.insert(Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => event(i + k, t0, n)));
      const insertSeconds = (performance.now() - insertStart) / 1000;
      db.raw.exec('ANALYZE');
      const runs = quick ? 100 : 300;
      const dayFilter = (i: number, severity: Severity): SecurityEventFilter => {
        const day = t0 + ((i * 7) % DAYS) * DAY;
        return { from: day, to: day + DAY, severities: [severity] };
      };
      log('timing queries');
      const page = await timeIt(runs, (i) => repo.search(dayFilter(i, 'high'), 'time', null, 50));
      const full = await timeIt(runs, async (i) => [await repo.search(dayFilter(i, 'high'), 'time', null, 51), await repo.facets(dayFilter(i, 'high'))]);
      const facets = await timeIt(runs, (i) => repo.facets(dayFilter(i, 'low')));
      const bySeverity = await timeIt(runs, (i) => {
        const day = t0 + ((i * 7) % DAYS) * DAY;
        return repo.search({ from: day, to: day + DAY }, 'severity', null, 50);
      });
      const text = await timeIt(runs, (i) => repo.search({ text: `203.0.${i % 200}.${(i * 13) % 256}` }, 'time', null, 50));
      const perDayHigh = await repo.count(dayFilter(0, 'high'));
      const perDayLow = await repo.count(dayFilter(0, 'low'));
      const note = `${n} events over ${DAYS} days, ${HOSTS} hosts, ${runs} queries`;
      return [
        { name: 'security_insert_events_per_s', value: Math.round(n / insertSeconds), unit: 'events/s', note: `repo.insert in batches of ${BATCH} (FTS5 index included)` },
        ...figures('security_query_day_severity_page', page, '<= 50 (p99)', `${note}; ~${perDayHigh} matching rows per day`),
        ...figures('security_query_day_severity_page_total_facets', full, undefined, `${note}; what GET /api/v1/events runs: page + facets (the exact total is their sum)`),
        ...figures('security_facets_day_low', facets, undefined, `${note}; facets over ~${perDayLow} rows (largest severity)`),
        ...figures('security_query_day_sorted_by_severity', bySeverity, undefined, `${note}; one day, all severities, critical first`),
        ...figures('security_query_free_text_ip', text, undefined, `${note}; FTS5 phrase match on an address, whole store`),
      ];
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
