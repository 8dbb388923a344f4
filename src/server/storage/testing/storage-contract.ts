import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { parseSelector } from '../../../protocol/selector.js';
import { auditHash } from '../../auth/audit-log.js';
import type { ManualClock } from '../../core/clock.js';
import type { SeriesRef } from '../series-index.js';
import type { Storage } from '../storage.js';
import { alertingContractTests } from './alerting-contract.js';
import { securityContractTests } from './security-contract.js';

/** What a backend provides to the contract suite. */
export interface ContractFixture {
  storage: Storage;
  clock: ManualClock;
  cleanup(): Promise<void>;
}

/**
 * The storage contract: one suite every backend must pass unchanged (SQLite always, PostgreSQL
 * when reachable). Each `describe` gets a fresh fixture.
 */
export function describeStorageContract(backend: string, open: () => Promise<ContractFixture>): void {
  describe(`storage contract: ${backend}`, () => {
    let f: ContractFixture;
    before(async () => {
      f = await open();
    });
    after(async () => {
      await f.cleanup();
    });

    it('series index: resolve is stable, select matches, labels list', async () => {
      const s = f.storage.series;
      const refs: SeriesRef[] = [
        { metric: 'cpu', labels: { host: 'a', cpu: '0' }, agentId: null },
        { metric: 'cpu', labels: { host: 'a', cpu: '1' }, agentId: null },
        { metric: 'cpu', labels: { host: 'b', cpu: '0' }, agentId: null },
        { metric: 'mem', labels: { host: 'a' }, agentId: null },
      ];
      const ids = await s.resolve(refs, 100);
      assert.equal(new Set(ids).size, 4);
      assert.deepEqual(await s.resolve([{ metric: 'cpu', labels: { cpu: '0', host: 'a' }, agentId: null }], 100), [ids[0]]);
      const sel = async (q: string) => (await s.select(parseSelector(q), 100)).series.map((x) => x.id).sort();
      assert.deepEqual(await sel('cpu{host="a"}'), [ids[0], ids[1]].sort());
      assert.deepEqual(await sel('cpu{host!="a"}'), [ids[2]]);
      assert.deepEqual(await sel('{host=~"a|b", cpu="0"}'), [ids[0], ids[2]].sort());
      assert.deepEqual(await sel('cpu{cpu!~"0"}'), [ids[1]]);
      assert.deepEqual(await sel('mem{cpu=""}'), [ids[3]]);
      const page = await s.select(parseSelector('cpu'), 2);
      assert.equal(page.series.length, 2);
      assert.equal(page.truncated, true);
      assert.deepEqual(await s.metricNames(), ['cpu', 'mem']);
      assert.deepEqual(await s.labelNames(parseSelector('mem')), ['host']);
      assert.deepEqual(await s.labelValues('cpu', null), ['0', '1']);
      assert.deepEqual((await s.get([ids[3] as number]))[0], { id: ids[3], metric: 'mem', labels: { host: 'a' } });
    });

    it('series index: concurrent creators all get their ids, and every id is found again', async () => {
      const s = f.storage.series;
      const batches = Array.from({ length: 12 }, (_, b) => Array.from({ length: 25 }, (_, i) => ({ metric: 'conc', labels: { b: String(b), i: String(i) }, agentId: null })));
      const ids = await Promise.all(batches.map((refs) => s.resolve(refs, 1000)));
      const flat = ids.flat();
      assert.ok(flat.every((id) => typeof id === 'number'), 'every series got an id');
      assert.equal(new Set(flat).size, 12 * 25);
      assert.equal((await s.select(parseSelector('conc'), 10_000)).series.length, 12 * 25);
    });

    it('series index: per-agent series limit', async () => {
      const agentId = randomUUID();
      const refs = Array.from({ length: 5 }, (_, i) => ({ metric: 'lim', labels: { n: String(i) }, agentId }));
      const ids = await f.storage.series.resolve(refs, 3);
      assert.equal(ids.filter((x) => x !== null).length, 3);
      assert.equal(await f.storage.series.countForAgent(agentId), 3);
      const again = await f.storage.series.resolve(refs.slice(0, 3), 3);
      assert.deepEqual(again, ids.slice(0, 3));
    });

    it('samples: stored, duplicate and conflict outcomes; reads and buckets', async () => {
      const [a, b] = (await f.storage.series.resolve([{ metric: 's', labels: { k: 'a' }, agentId: null }, { metric: 's', labels: { k: 'b' }, agentId: null }], 100)) as number[];
      const t0 = Math.floor(f.clock.now() / 60_000) * 60_000 - 600_000;
      const rows = Array.from({ length: 60 }, (_, i) => ({ seriesId: a as number, ts: t0 + i * 10_000, value: i }));
      assert.deepEqual(new Set(await f.storage.samples.append(rows)), new Set(['stored']));
      const again = await f.storage.samples.append([rows[0]!, { seriesId: a as number, ts: t0 + 10_000, value: 99 }, { seriesId: b as number, ts: t0, value: -0 }]);
      assert.deepEqual(again, ['duplicate', 'conflict', 'stored']);
      const raw = await f.storage.samples.readRaw([a as number, b as number], t0 + 5_000, t0 + 35_000);
      assert.deepEqual(raw.get(a as number), { ts: [t0 + 10_000, t0 + 20_000, t0 + 30_000], values: [1, 2, 3] });
      assert.deepEqual(raw.get(b as number), { ts: [], values: [] });
      const bk = await f.storage.samples.readBuckets([a as number], t0, t0 + 120_000, 60_000);
      assert.deepEqual(bk.buckets.get(a as number), [
        { min: 0, max: 5, sum: 15, count: 6, last: 5 },
        { min: 6, max: 11, sum: 51, count: 6, last: 11 },
      ]);
      assert.ok(['raw', '1m', '1h'].includes(bk.tier));
      const latest = await f.storage.samples.latest([a as number, b as number]);
      assert.deepEqual(latest.get(a as number), { ts: t0 + 590_000, value: 59 });
      assert.ok(Object.is(latest.get(b as number)?.value, -0) || latest.get(b as number)?.value === 0);
      const stats = await f.storage.samples.stats();
      assert.ok(typeof stats.bytesByTier.raw === 'number');
    });

    it('samples: retention removes old data in maintain()', async () => {
      const [id] = (await f.storage.series.resolve([{ metric: 'ret', labels: {}, agentId: null }], 100)) as number[];
      const now = f.clock.now();
      await f.storage.samples.append([
        { seriesId: id as number, ts: now - 20 * 86_400_000, value: 1 },
        { seriesId: id as number, ts: now - 1000, value: 2 },
      ]);
      await f.storage.samples.maintain(now);
      const raw = await f.storage.samples.readRaw([id as number], 0, now + 1);
      assert.deepEqual(raw.get(id as number)?.values, [2]);
    });

    it('agents: create, register, touch, processes, delete', async () => {
      const id = randomUUID();
      await f.storage.agents.create({ id, name: `agent-${id.slice(0, 8)}`, createdAt: 1000 });
      await f.storage.agents.register(id, { hostname: 'h', os: 'linux', kernel: '6.1', arch: 'x64', agentVersion: '0.1.0', intervalMs: 10_000, cpuCount: 2, memoryBytes: 1e9, capabilities: ['cpu'], unavailable: [] }, 2000);
      await f.storage.agents.touch(id, 1500, { droppedSamples: 7 });
      const rec = await f.storage.agents.get(id);
      assert.equal(rec?.hostname, 'h');
      assert.equal(rec?.lastSeen, 2000, 'touch never moves last_seen backwards');
      assert.equal(rec?.droppedSamples, 7);
      assert.deepEqual(rec?.capabilities, ['cpu']);
      await f.storage.agents.saveProcesses(id, { ts: 5, processes: [{ pid: 1, name: 'init', cpuPercent: 0, memoryBytes: 1 }] });
      assert.equal((await f.storage.agents.getProcesses(id))?.processes[0]?.name, 'init');
      assert.equal((await f.storage.agents.getByName(rec?.name ?? ''))?.id, id);
      assert.equal(await f.storage.agents.delete(id), true);
      assert.equal(await f.storage.agents.get(id), null);
    });

    it('users, sessions and API keys', async () => {
      const uid = randomUUID();
      await f.storage.users.create({ id: uid, username: `u-${uid.slice(0, 6)}`, passwordHash: 'h', role: 'viewer', disabled: false, createdAt: 1, updatedAt: 1, passwordChangedAt: 1, totpSecret: null, totpEnabled: false, totpLastStep: null, source: 'local', externalSubject: null });
      assert.equal(await f.storage.users.claimTotpStep(uid, 5), true);
      assert.equal(await f.storage.users.claimTotpStep(uid, 5), false, 'a TOTP step is accepted once');
      assert.equal(await f.storage.users.claimTotpStep(uid, 4), false);
      assert.equal(await f.storage.users.update(uid, { role: 'operator', disabled: true }, 5), true);
      const u = await f.storage.users.get(uid);
      assert.equal(u?.role, 'operator');
      assert.equal(u?.disabled, true);
      await f.storage.sessions.create({ idHash: `s1-${uid}`, userId: uid, createdAt: 10, lastSeenAt: 10, expiresAt: 1000, ip: '127.0.0.1', userAgent: 'ua' });
      await f.storage.sessions.create({ idHash: `s2-${uid}`, userId: uid, createdAt: 10, lastSeenAt: 10, expiresAt: 50, ip: null, userAgent: null });
      await f.storage.sessions.touch(`s1-${uid}`, 20);
      assert.equal((await f.storage.sessions.get(`s1-${uid}`))?.lastSeenAt, 20);
      assert.equal(await f.storage.sessions.prune(60, 1_000_000), 1);
      assert.equal(await f.storage.sessions.deleteForUser(uid), 1);
      const kid = randomUUID();
      await f.storage.apiKeys.create({ id: kid, prefix: 'vgu_abcdef', hash: `hash-${kid}`, kind: 'user', name: 'n', userId: uid, agentId: null, scopes: ['read:metrics'], createdAt: 1, createdBy: null, lastUsedAt: null, expiresAt: null, revokedAt: null });
      assert.deepEqual((await f.storage.apiKeys.getByHash(`hash-${kid}`))?.scopes, ['read:metrics']);
      assert.equal((await f.storage.apiKeys.list({ userId: uid })).length, 1);
      assert.equal(await f.storage.apiKeys.revoke(kid, 9), true);
      assert.equal(await f.storage.apiKeys.revoke(kid, 9), false);
      assert.equal((await f.storage.apiKeys.get(kid))?.revokedAt, 9);
    });

    it('audit log: chained appends, filters, append-only', async () => {
      const e1 = await f.storage.audit.append({ ts: 1, actor: 'user:a', action: 'x', target: null, ip: null, userAgent: null, outcome: 'success', details: { n: 1 } }, auditHash);
      const e2 = await f.storage.audit.append({ ts: 2, actor: 'user:b', action: 'y', target: 't', ip: '::1', userAgent: null, outcome: 'denied', details: null }, auditHash);
      assert.equal(e2.prevHash, e1.hash);
      assert.deepEqual((await f.storage.audit.list({ actor: 'user:b', limit: 10 })).map((e) => e.id), [e2.id]);
      assert.deepEqual((await f.storage.audit.list({ outcome: 'success', limit: 10 })).map((e) => e.details), [{ n: 1 }]);
      assert.ok((await f.storage.audit.scan(0, 10)).length >= 2);
    });

    it('idempotency answers and settings', async () => {
      await f.storage.idempotency.put('agent-1', 'k1', 100, { status: 200, body: '{"accepted":1}' });
      await f.storage.idempotency.put('agent-1', 'k1', 100, { status: 500, body: 'ignored' });
      assert.deepEqual(await f.storage.idempotency.get('agent-1', 'k1'), { status: 200, body: '{"accepted":1}' });
      assert.equal(await f.storage.idempotency.get('agent-2', 'k1'), null);
      assert.equal(await f.storage.idempotency.prune(101), 1);
      await f.storage.settings.set('retention', { raw: 5 }, 1);
      await f.storage.settings.set('retention', { raw: 6 }, 2);
      assert.deepEqual(await f.storage.settings.get('retention'), { raw: 6 });
      assert.equal(await f.storage.settings.get('missing'), null);
    });

    it('ping answers while open', async () => {
      await f.storage.ping();
    });

    alertingContractTests(() => f.storage);
    securityContractTests(() => f.storage);
  });
}
