import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrateSqliteToPg } from '../../src/server/storage/postgres/migrate/migrate-sqlite-to-pg.js';
import type { ProgressSink } from '../../src/server/storage/postgres/migrate/migration-progress.js';
import { createPgTestSchema, type PgTestSchema } from '../../src/server/storage/testing/pg-test-schema.js';
import { spawnVigil } from '../support/processes.js';
import { needPostgres } from '../support/requirements.js';
import { processDataDir, ProcessApi, startVigilServer } from '../support/vigil-process.js';

const skip = await needPostgres();
const SERIES = ['a', 'b', 'c', 'd'];
const POINTS = 600;

type Query = { timestamps: number[]; series: { labels: Record<string, string>; values: (number | null)[] }[] };

/** Everything the test compares between the SQLite server and the PostgreSQL server. */
async function snapshot(api: ProcessApi, t0: number): Promise<unknown> {
  const q = (agg: string, step: string) => new URLSearchParams({ query: 'migrate_probe', start: String(t0), end: String(t0 + POINTS * 1000), step, agg, by: 'n' }).toString();
  const raw = await api.call<Query>('GET', `/api/v1/query?${q('avg', '1s')}`);
  const coarse = await api.call<Query>('GET', `/api/v1/query?${q('max', '1m')}`);
  const rules = await api.call<{ rules: { name: string }[] }>('GET', '/api/v1/rules');
  const users = await api.call<{ users: { username: string; role: string }[] }>('GET', '/api/v1/users');
  const audit = await api.call<{ checked: number; brokenAt: number | null }>('GET', '/api/v1/audit/verify');
  const sort = (r: Query) => ({ timestamps: r.timestamps, series: [...r.series].sort((x, y) => String(x.labels.n).localeCompare(String(y.labels.n))) });
  return {
    raw: sort(raw),
    coarse: sort(coarse),
    rules: rules.rules.map((r) => r.name).sort(),
    users: users.users.map((u) => `${u.username}:${u.role}`).sort(),
    auditBrokenAt: audit.brokenAt,
  };
}

const silent: ProgressSink = { start: () => undefined, advance: () => undefined, finish: () => undefined };

describe('vigil migrate: SQLite data directory → PostgreSQL', { skip }, () => {
  let dir: string;
  const schemas: PgTestSchema[] = [];
  let before_: unknown;
  let auditChecked = 0;
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000;

  before(async () => {
    // Fill a SQLite data directory through a real server: samples, users, a rule, audit entries.
    dir = await processDataDir();
    const server = await startVigilServer(dir);
    try {
      const api = await ProcessApi.login(server.url);
      const key = (await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'migrate-agent' })).key;
      for (let b = 0; b < POINTS; b += 100) {
        await api.ingest(key, SERIES.map((n, i) => ({ metric: 'migrate_probe', labels: { n }, points: Array.from({ length: 100 }, (_, k) => [t0 + (b + k) * 1000, Math.sin((b + k) / 10) * (i + 1)] as [number, number]) })));
      }
      await api.call('POST', '/api/v1/users', { username: 'viewer-1', password: 'viewer-long-passphrase', role: 'viewer' });
      await api.call('POST', '/api/v1/rules', { name: 'HighProbe', type: 'threshold', spec: { selector: 'migrate_probe', critical: 1000 } });
      before_ = await snapshot(api, t0);
      const raw = (before_ as { raw: Query }).raw;
      assert.equal(raw.series.length, SERIES.length);
      assert.equal(raw.series[0]!.values.filter((v) => v !== null).length, POINTS, 'the snapshot holds every sample');
      auditChecked = (await api.call<{ checked: number }>('GET', '/api/v1/audit/verify')).checked;
    } finally {
      await server.stop();
    }
  });
  after(async () => {
    for (const s of schemas) await s.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies everything; a server on PostgreSQL answers the same queries and the audit chain verifies', async () => {
    const schema = await createPgTestSchema();
    schemas.push(schema);
    const args = ['migrate', '--from', `sqlite:${join(dir, 'vigil.db')}`, '--to', schema.url, '--to-schema', schema.schema, '--batch-size', '500'];
    const run = spawnVigil(args);
    // kill() resolves with the exit code; SIGCONT does not disturb a running process: this waits.
    const code = await run.kill('SIGCONT');
    const out = run.output();
    assert.equal(code, 0, out);
    assert.match(out, /tsdb_chunks|tsdb_log/);
    assert.match(out, /hash chain verified on the target/);
    assert.match(out, /migration complete: every count matches/);
    assert.doesNotMatch(out, /MISMATCH/);

    // Running it again without --resume refuses the now non-empty target.
    const again = spawnVigil(args);
    assert.equal(await again.kill('SIGCONT'), 2, again.output());
    assert.match(again.output(), /--resume/);

    const server = await startVigilServer(dir, { VIGIL_DATABASE_URL: schema.url, VIGIL_DATABASE_SCHEMA: schema.schema });
    try {
      const api = await ProcessApi.login(server.url);
      const now = await snapshot(api, t0);
      assert.deepEqual(now, before_);
      const audit = await api.call<{ checked: number; brokenAt: number | null }>('GET', '/api/v1/audit/verify');
      assert.equal(audit.brokenAt, null);
      // The login on this server appended to the copied chain; the copied part is all there.
      assert.ok(audit.checked > auditChecked, `${audit.checked} > ${auditChecked}`);
    } finally {
      await server.stop();
    }
  });

  it('is resumable: an interrupted copy continues with --resume and never duplicates a row', async () => {
    const schema = await createPgTestSchema();
    schemas.push(schema);
    const from = join(dir, 'vigil.db');
    const target = { url: schema.url, schema: schema.schema };
    const abort = new AbortController();
    let batches = 0;
    const interrupting: ProgressSink = {
      ...silent,
      advance: () => {
        if (++batches === 5) abort.abort();
      },
    };
    await assert.rejects(migrateSqliteToPg({ from, target, resume: false, batchRows: 50, progress: interrupting, signal: abort.signal }), /--resume/);
    await assert.rejects(migrateSqliteToPg({ from, target, resume: false, batchRows: 50, progress: silent }), /interrupted migration/);
    const report = await migrateSqliteToPg({ from, target, resume: true, batchRows: 50, progress: silent });
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.ok(report.counts.some((c) => c.table === 'tsdb_chunks' || c.table === 'tsdb_log'));
    for (const c of report.counts) assert.equal(c.target, c.source, c.table);
    assert.equal(report.audit.brokenAt, null);
    // A second resume finds everything done and changes nothing.
    const again = await migrateSqliteToPg({ from, target, resume: true, batchRows: 50, progress: silent });
    assert.deepEqual(again.counts, report.counts);
  });
});
