import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AlertRecord } from '../alert-repo.js';
import type { AlertRuleRecord } from '../alert-rule-repo.js';
import type { OutboxRecord } from '../outbox-repo.js';
import type { Storage } from '../storage.js';

function rule(over: Partial<AlertRuleRecord> = {}): AlertRuleRecord {
  const id = randomUUID();
  return {
    id,
    name: `rule-${id.slice(0, 8)}`,
    description: '',
    type: 'threshold',
    spec: { selector: 'cpu', critical: 90 },
    severity: 'warning',
    labels: {},
    forMs: 0,
    keepFiringForMs: 0,
    intervalMs: 30_000,
    runbookUrl: null,
    suggestedFixes: null,
    enabled: true,
    createdAt: 1,
    updatedAt: 1,
    createdBy: 'user:a',
    version: 1,
    ...over,
  };
}

function alert(ruleId: string, over: Partial<AlertRecord> = {}): Omit<AlertRecord, 'seq'> {
  const id = randomUUID();
  return {
    id,
    ruleId,
    key: id,
    fingerprint: id.slice(0, 16),
    labels: { alertname: 'x', host: 'h' },
    annotations: {},
    state: 'firing',
    severity: 'critical',
    value: 95,
    threshold: 90,
    activeSince: 10,
    firingSince: 10,
    resolvedAt: null,
    lastTrueAt: 10,
    lastEvalAt: 10,
    ack: null,
    suppressedBy: [],
    flapping: false,
    flapHistory: [],
    updatedAt: 10,
    ...over,
  };
}

function notification(over: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    id: randomUUID(),
    dedupKey: 'vigil-abc',
    kind: 'firing',
    status: 'pending',
    target: { kind: 'channel', channelId: 'c1' },
    channelType: 'webhook',
    groupKey: 'g1',
    alertIds: ['a1'],
    severity: 'critical',
    title: 't',
    payload: { n: 1 },
    attempts: 0,
    createdAt: 100,
    nextAttemptAt: 100,
    leaseUntil: null,
    deliveredAt: null,
    lastError: null,
    fallbackOf: null,
    fallbackSent: false,
    ...over,
  };
}

/**
 * Contract tests of the alerting and notification repositories, run inside
 * `describeStorageContract` so every backend gets them.
 */
export function alertingContractTests(storage: () => Storage): void {
  it('alert rules: unique names, versioned updates, delete', async () => {
    const s = storage();
    const r = rule();
    await s.alertRules.create(r);
    await assert.rejects(s.alertRules.create({ ...rule(), name: r.name }), /already exists/);
    assert.deepEqual(await s.alertRules.get(r.id), r);
    assert.equal((await s.alertRules.getByName(r.name))?.id, r.id);
    assert.equal(await s.alertRules.update({ ...r, description: 'd', version: 2 }, 1), true);
    assert.equal(await s.alertRules.update({ ...r, description: 'stale', version: 2 }, 1), false, 'a stale version is refused');
    assert.equal((await s.alertRules.get(r.id))?.description, 'd');
    assert.ok((await s.alertRules.list()).some((x) => x.id === r.id));
    assert.equal(await s.alertRules.delete(r.id), true);
    assert.equal(await s.alertRules.get(r.id), null);
  });

  it('alerts: save assigns increasing seq, transitions, filters, prune', async () => {
    const s = storage();
    const ruleId = randomUUID();
    const a = alert(ruleId);
    const b = alert(ruleId, { state: 'resolved', severity: 'warning', updatedAt: 5 });
    const before = await s.alerts.changedSince(0, 100_000);
    const seqs = await s.alerts.save([a, b], [{ alertId: a.id, ts: 10, kind: 'state', from: 'inactive', to: 'firing', severity: 'critical', value: 95, reason: 'r', actor: null }]);
    assert.equal(seqs.length, 2);
    assert.ok((seqs[1] as number) > (seqs[0] as number));
    const changed = await s.alerts.changedSince(before.at(-1)?.seq ?? 0, 10);
    assert.deepEqual(changed.map((x) => x.id), [a.id, b.id]);
    const [again] = await s.alerts.save([{ ...a, value: 99, updatedAt: 11 }], []);
    assert.ok((again as number) > (seqs[1] as number));
    assert.equal((await s.alerts.get(a.id))?.value, 99);
    assert.deepEqual((await s.alerts.list({ states: ['firing'], ruleId, limit: 10 })).map((x) => x.id), [a.id]);
    assert.deepEqual((await s.alerts.list({ severities: ['warning'], ruleId, limit: 10 })).map((x) => x.id), [b.id]);
    const tr = await s.alerts.transitions(a.id, 10);
    assert.equal(tr.length, 1);
    assert.equal(tr[0]?.to, 'firing');
    assert.equal(await s.alerts.prune(6), 1, 'only the old resolved alert is pruned');
    assert.equal(await s.alerts.get(b.id), null);
    assert.equal(await s.alerts.deleteForRule(ruleId), 1);
    assert.equal((await s.alerts.transitions(a.id, 10)).length, 0);
  });

  it('silences and maintenance windows', async () => {
    const s = storage();
    const id = randomUUID();
    await s.silences.upsert({ id, matchers: [{ name: 'host', op: '=', value: 'a' }], startsAt: 0, endsAt: 1000, comment: 'c', createdBy: 'u', createdAt: 0, updatedAt: 0 });
    assert.ok((await s.silences.list(500)).some((x) => x.id === id));
    assert.ok(!(await s.silences.list(1000)).some((x) => x.id === id));
    await s.silences.upsert({ ...((await s.silences.get(id)) as NonNullable<Awaited<ReturnType<typeof s.silences.get>>>), endsAt: 10 });
    assert.equal((await s.silences.get(id))?.endsAt, 10);
    assert.ok((await s.silences.prune(11)) >= 1);
    const wid = randomUUID();
    await s.maintenanceWindows.upsert({ id: wid, name: 'w', schedule: { kind: 'weekly', days: ['sun'], start: '02:00', end: '04:00' }, timeZone: 'UTC', matchers: [], enabled: true, createdBy: 'u', createdAt: 1, updatedAt: 1 });
    assert.equal((await s.maintenanceWindows.get(wid))?.name, 'w');
    assert.equal(await s.maintenanceWindows.delete(wid), true);
  });

  it('channels and receivers: unique names, outcome counters', async () => {
    const s = storage();
    const id = randomUUID();
    const c = { id, name: `ch-${id.slice(0, 8)}`, type: 'webhook', config: { url: 'x' }, secretsSealed: 'sealed', enabled: true, configError: null, consecutiveFailures: 0, lastSuccessAt: null, lastFailureAt: null, createdAt: 1, updatedAt: 1 };
    await s.channels.create(c);
    await assert.rejects(s.channels.create({ ...c, id: randomUUID() }), /already exists/);
    assert.equal(await s.channels.recordOutcome(id, { ok: false, at: 5, configError: null }), 1);
    assert.equal(await s.channels.recordOutcome(id, { ok: false, at: 6, configError: 'HTTP 404' }), 2);
    assert.equal((await s.channels.get(id))?.configError, 'HTTP 404');
    assert.equal(await s.channels.recordOutcome(id, { ok: true, at: 7 }), 0);
    const got = await s.channels.get(id);
    assert.equal(got?.configError, null);
    assert.equal(got?.lastSuccessAt, 7);
    assert.equal(got?.secretsSealed, 'sealed');
    const rid = randomUUID();
    await s.receivers.create({ id: rid, name: `rc-${rid.slice(0, 8)}`, channelIds: [id], userIds: [], createdAt: 1, updatedAt: 1 });
    assert.deepEqual((await s.receivers.get(rid))?.channelIds, [id]);
    assert.equal((await s.receivers.getByName(`rc-${rid.slice(0, 8)}`))?.id, rid);
    assert.equal(await s.receivers.delete(rid), true);
    assert.equal(await s.channels.delete(id), true);
  });

  it('outbox: atomic commit, claim with lease, complete, fallback, trace, prune', async () => {
    const s = storage();
    const n1 = notification({ alertIds: ['alert-x'] });
    const n2 = notification({ nextAttemptAt: 500 });
    const group = { key: `g-${n1.id}`, routeId: 'root', groupLabels: {}, episodeId: 'e', episodeStart: 1, firstSeenAt: 1, lastFlushAt: 100, nextFlushAt: null, sentFiring: ['alert-x'], sentResolved: [], lastHash: 'h', ackSent: false, escalationStep: 0, receiversNotified: ['r'], updatedAt: 100 };
    await s.outbox.commit({ groups: [group], notifications: [n1, n2], trace: [{ alertId: 'alert-x', ts: 100, step: 'notification', message: 'queued' }] });
    assert.ok((await s.outbox.groups()).some((g) => g.key === group.key));
    const claimed = await s.outbox.claimDue(200, 1000, 10);
    assert.ok(claimed.some((c) => c.id === n1.id));
    assert.ok(!claimed.some((c) => c.id === n2.id), 'not due yet');
    assert.equal(claimed.find((c) => c.id === n1.id)?.attempts, 1);
    assert.ok(!(await s.outbox.claimDue(300, 1000, 10)).some((c) => c.id === n1.id), 'leased');
    const reclaimed = await s.outbox.claimDue(1300, 1000, 10);
    assert.equal(reclaimed.find((c) => c.id === n1.id)?.attempts, 2, 'an expired lease is reclaimed');
    await s.outbox.release(n1.id, 1350);
    assert.equal((await s.outbox.get(n1.id))?.attempts, 1, 'a released claim is not an attempt');
    assert.equal((await s.outbox.claimDue(1340, 1000, 10)).length, 0);
    assert.equal((await s.outbox.claimDue(1350, 1000, 10)).find((c) => c.id === n1.id)?.attempts, 2);
    await s.outbox.complete(n1.id, { status: 'delivered', nextAttemptAt: null, lastError: null, deliveredAt: 1400 }, { ts: 1400, durationMs: 3, outcome: 'ok', statusCode: 200, error: null, retryAfterMs: null });
    assert.equal((await s.outbox.get(n1.id))?.status, 'delivered');
    assert.equal((await s.outbox.attempts(n1.id)).length, 1);
    assert.deepEqual((await s.outbox.list({ alertId: 'alert-x', limit: 10 })).map((x) => x.id), [n1.id]);
    assert.equal((await s.outbox.claim(n1.id, 1500, 1000)), null, 'a delivered row is not claimable');
    assert.ok((await s.outbox.overdue(200, 10)).some((x) => x.id === n2.id));
    await s.outbox.markFallbackSent(n2.id);
    assert.ok(!(await s.outbox.overdue(200, 10)).some((x) => x.id === n2.id));
    assert.equal((await s.outbox.trace('alert-x', 10))[0]?.message, 'queued');
    assert.ok(((await s.outbox.countByStatus()).delivered ?? 0) >= 1);
    await assert.rejects(s.outbox.commit({ groups: [{ ...group, updatedAt: 999 }], notifications: [n2] }), 'a duplicate id aborts the whole commit');
    assert.equal((await s.outbox.groups()).find((g) => g.key === group.key)?.updatedAt, 100, 'group change rolled back');
    await s.outbox.commit({ deleteGroups: [group.key] });
    assert.ok(!(await s.outbox.groups()).some((g) => g.key === group.key));
    assert.ok((await s.outbox.prune(10_000)) >= 1);
    assert.equal(await s.outbox.get(n1.id), null);
  });

  it('inbox: dedupe by notification, trim to N, read state; preferences', async () => {
    const s = storage();
    const uid = randomUUID();
    await s.users.create({ id: uid, username: `inbox-${uid.slice(0, 6)}`, passwordHash: 'h', role: 'viewer', disabled: false, createdAt: 1, updatedAt: 1, passwordChangedAt: 1, totpSecret: null, totpEnabled: false, totpLastStep: null, source: 'local', externalSubject: null });
    const item = (i: number, notificationId: string | null) => ({ id: randomUUID(), userId: uid, alertId: null, notificationId, severity: 'critical' as const, kind: 'firing' as const, title: `t${i}`, body: 'b', createdAt: i, readAt: null });
    assert.equal(await s.inbox.add(item(1, 'n1'), 3), true);
    assert.equal(await s.inbox.add(item(2, 'n1'), 3), false, 'same notification twice shows once');
    for (let i = 2; i <= 5; i++) await s.inbox.add(item(i, `n${i}`), 3);
    const list = await s.inbox.list(uid, 10);
    assert.deepEqual(list.map((x) => x.title), ['t5', 't4', 't3']);
    assert.equal(await s.inbox.unreadCount(uid), 3);
    assert.equal(await s.inbox.markRead(uid, list[0]!.id, 9), true);
    assert.equal(await s.inbox.markRead('someone-else', list[1]!.id, 9), false, "another user's item is untouched");
    assert.equal(await s.inbox.markAllRead(uid, 10), 2);
    assert.equal(await s.inbox.unreadCount(uid), 0);
    assert.equal(await s.inbox.dismiss(uid, list[2]!.id), true);
    assert.equal((await s.inbox.list(uid, 10)).length, 2);
    const prefs = { userId: uid, email: 'a@example.com', channels: { email: true, inapp: true, slack: false }, minSeverity: 'warning' as const, quietHours: null, slackWebhookSealed: null, updatedAt: 1 };
    await s.preferences.set(prefs);
    assert.deepEqual(await s.preferences.get(uid), prefs);
  });
}
