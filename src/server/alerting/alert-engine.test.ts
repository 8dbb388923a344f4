import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_CHANGED } from './alert-view.js';
import { engineFixture } from '../testing/alerting-engine-fixture.js';

const cpuRule = (over: Record<string, unknown> = {}) => ({ name: 'HighCPU', type: 'threshold', spec: { selector: 'cpu_usage_percent{cpu="total"}', warning: 80, critical: 90, recovery: 70 }, ...over });

describe('AlertEngine', () => {
  it('fires on an ingested sample (incremental, no query), stores the transition and tells the sink', async () => {
    const f = await engineFixture();
    try {
      await f.alerts.createRule(cpuRule(), 'user:admin');
      const t = f.clock.now();
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'web-1' }, [[t, 95]]);
      const [a] = await f.alerts.listAlerts({ states: ['firing'] });
      assert.equal(a?.severity, 'critical');
      assert.deepEqual(a?.labels, { cpu: 'total', host: 'web-1', alertname: 'HighCPU', severity: 'critical' });
      assert.match(a?.annotations.suggested_fixes ?? '', /busiest processes/);
      assert.deepEqual(f.sunk, [a?.id]);
      assert.ok(f.events.some((e) => e.type === ALERT_CHANGED));
      const detail = await f.alerts.getAlert(a!.id);
      assert.equal(detail.transitions[0]?.to, 'firing');
      assert.match(detail.transitions[0]?.reason ?? '', /95/);
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'web-1' }, [[t + 10_000, 75]]);
      assert.equal((await f.alerts.getAlert(a!.id)).state, 'firing', 'hysteresis: 75 is above the recovery level');
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'web-1' }, [[t + 20_000, 60]]);
      assert.equal((await f.alerts.getAlert(a!.id)).state, 'resolved');
    } finally {
      await f.close();
    }
  });

  it('promotes pending to firing on tick once `for` elapsed', async () => {
    const f = await engineFixture();
    try {
      await f.alerts.createRule(cpuRule({ for: '2m', interval: '10s' }), 'user:admin');
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'a' }, [[f.clock.now(), 85]]);
      assert.equal((await f.alerts.listAlerts({}))[0]?.state, 'pending');
      f.clock.advance(60_000);
      await f.engine.tick();
      assert.equal((await f.alerts.listAlerts({}))[0]?.state, 'pending');
      f.clock.advance(61_000);
      await f.engine.tick();
      assert.equal((await f.alerts.listAlerts({}))[0]?.state, 'firing');
    } finally {
      await f.close();
    }
  });

  it('survives a restart without a resolve/fire flap and without announcing anything new', async () => {
    let f = await engineFixture();
    try {
      await f.alerts.createRule(cpuRule({ spec: { selector: 'cpu_usage_percent{cpu="total"}', aggregation: 'avg', window: '5m', critical: 90 }, keepFiringFor: '1m' }), 'user:admin');
      const t0 = f.clock.now();
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'a' }, [[t0 - 20_000, 95], [t0 - 10_000, 96], [t0, 97]]);
      const [a] = await f.alerts.listAlerts({ states: ['firing'] });
      assert.ok(a);
      const before = (await f.alerts.getAlert(a.id)).transitions.length;
      f = await f.restart();
      f.clock.advance(30_000);
      await f.engine.tick();
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'a' }, [[f.clock.now(), 94]]);
      f.clock.advance(30_000);
      await f.engine.tick();
      const after = await f.alerts.getAlert(a.id);
      assert.equal(after.state, 'firing');
      assert.equal(after.transitions.length, before, 'no transition after the restart');
      assert.deepEqual(f.sunk, [], 'nothing announced after the restart');
    } finally {
      await f.close();
    }
  });

  it('absence rules do not blame sources for the server being down', async () => {
    let f = await engineFixture();
    try {
      await f.alerts.createRule({ name: 'AgentDown', type: 'absence', severity: 'critical', labels: { scope: 'host' }, spec: { selector: 'uptime_seconds', after: '3m' }, interval: '10s' }, 'user:admin');
      await f.ingest('uptime_seconds', { host: 'db-1' }, [[f.clock.now(), 100]]);
      f = await f.restart();
      f.clock.advance(10 * 60_000);
      f = await f.restart();
      f.clock.advance(60_000);
      await f.engine.tick();
      assert.deepEqual(await f.alerts.listAlerts({ states: ['firing'] }), [], 'downtime is not silence');
      f.clock.advance(3 * 60_000);
      await f.engine.tick();
      assert.equal((await f.alerts.listAlerts({ states: ['firing'] }))[0]?.labels.host, 'db-1');
    } finally {
      await f.close();
    }
  });

  it('silences, maintenance windows and inhibition suppress; the end of a window is announced', async () => {
    const f = await engineFixture();
    try {
      await f.alerts.createRule(cpuRule(), 'user:admin');
      await f.alerts.createRule({ name: 'AgentDown', type: 'absence', severity: 'critical', labels: { scope: 'host' }, spec: { selector: 'uptime_seconds{host="b"}', after: '1m' }, interval: '10s' }, 'user:admin');
      const now = f.clock.now();
      const silence = await f.silences.createSilence({ matchers: [{ name: 'host', op: '=', value: 'a' }], endsAt: now + 3_600_000, comment: 'deploy' }, 'user:admin');
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'a' }, [[now, 95]]);
      const [a] = await f.alerts.listAlerts({ match: 'host="a"' });
      assert.deepEqual(a?.suppressedBy.map((s) => [s.kind, s.id]), [['silence', silence.id]]);
      await f.silences.expireSilence(silence.id, 'user:admin');
      assert.deepEqual((await f.alerts.getAlert(a!.id)).suppressedBy, []);
      assert.ok((await f.alerts.getAlert(a!.id)).transitions.some((t) => t.kind === 'unsuppressed'));

      // Inhibition: AgentDown on host b (scope=host) mutes HighCPU on host b.
      f.clock.advance(70_000);
      await f.engine.tick();
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'b' }, [[f.clock.now(), 99]]);
      const [b] = await f.alerts.listAlerts({ match: 'alertname="HighCPU",host="b"' });
      assert.equal(b?.suppressedBy[0]?.kind, 'inhibition');

      // A window over host a, active now, that ends in 10 minutes.
      const start = new Date(f.clock.now());
      const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
      const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][start.getUTCDay()] as 'mon';
      await f.silences.createWindow({ name: 'patching', timeZone: 'UTC', schedule: { kind: 'weekly', days: [day], start: hhmm(new Date(start.getTime() - 60_000)), end: hhmm(new Date(start.getTime() + 10 * 60_000)) }, matchers: [{ name: 'host', op: '=', value: 'a' }] }, 'user:admin');
      assert.equal((await f.alerts.getAlert(a!.id)).suppressedBy[0]?.kind, 'maintenance');
      f.sunk.length = 0;
      f.clock.advance(11 * 60_000);
      await f.engine.tick();
      assert.deepEqual((await f.alerts.getAlert(a!.id)).suppressedBy, []);
      assert.ok(f.sunk.includes(a!.id), 'the end of the window is announced for the still-firing alert');
    } finally {
      await f.close();
    }
  });

  it('acknowledgement with expiry; rules can be edited and deleted', async () => {
    const f = await engineFixture();
    try {
      const rule = await f.alerts.createRule(cpuRule(), 'user:admin');
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'a' }, [[f.clock.now(), 95]]);
      const [a] = await f.alerts.listAlerts({});
      const acked = await f.alerts.acknowledge(a!.id, 'user:bob', 'on it', f.clock.now() + 60_000);
      assert.equal(acked.ack?.by, 'user:bob');
      f.clock.advance(61_000);
      await f.engine.tick();
      assert.equal((await f.alerts.getAlert(a!.id)).ack, null);
      await assert.rejects(f.alerts.updateRule(rule.id, cpuRule({ description: 'x' }), 'user:admin', 7), /version/);
      const updated = await f.alerts.updateRule(rule.id, cpuRule({ name: 'CpuHot', labels: { team: 'ops' } }), 'user:admin', rule.version);
      assert.equal(updated.version, 2);
      assert.equal((await f.alerts.getAlert(a!.id)).labels.alertname, 'CpuHot');
      assert.equal((await f.alerts.getAlert(a!.id)).labels.team, 'ops');
      await f.alerts.deleteRule(rule.id, 'user:admin');
      await assert.rejects(f.alerts.getAlert(a!.id), /not found/);
      const audit = await f.storage.audit.list({ limit: 50 });
      assert.deepEqual(new Set(audit.map((e) => e.action)), new Set(['rule.create', 'alert.ack', 'rule.update', 'rule.delete']));
    } finally {
      await f.close();
    }
  });

  it('dry run counts how often a rule would have fired over stored history', async () => {
    const f = await engineFixture();
    try {
      const t0 = f.clock.now() - 3_600_000;
      const points: [number, number][] = [];
      for (let i = 0; i < 360; i++) points.push([t0 + i * 10_000, Math.floor(i / 30) % 2 === 1 ? 95 : 20]);
      await f.ingest('cpu_usage_percent', { cpu: 'total', host: 'a' }, points);
      const r = await f.alerts.dryRun(cpuRule({ interval: '10s' }), { start: t0, end: t0 + 3_600_000 });
      assert.equal(r.fires, 6, 'six 5-minute bursts above 90');
      assert.equal(r.events.filter((e) => e.to === 'firing').length, 6);
      assert.equal(r.series.length, 1);
      assert.equal(r.thresholds.critical, 90);
      await assert.rejects(f.alerts.dryRun(cpuRule(), { start: t0 - 40 * 86_400_000, end: t0 }), /at most 30 days/);
    } finally {
      await f.close();
    }
  });

  it('rules as code: export, then import the same YAML changes nothing; bad entries name their index', async () => {
    const f = await engineFixture();
    try {
      await f.alerts.createRule(cpuRule({ for: '5m', labels: { team: 'ops' } }), 'user:admin');
      const yaml = await f.alerts.exportYaml();
      assert.match(yaml, /name: HighCPU/);
      assert.deepEqual(await f.alerts.importYaml(yaml, 'user:admin'), { created: 0, updated: 0, deleted: 0, unchanged: 1 });
      const changed = yaml.replace('critical: 90', 'critical: 91');
      assert.deepEqual(await f.alerts.importYaml(changed, 'user:admin'), { created: 0, updated: 1, deleted: 0, unchanged: 0 });
      await assert.rejects(f.alerts.importYaml('rules:\n  - name: x\n    type: threshold\n    spec: {selector: cpu}\n', 'user:admin'), (err: Error & { details?: { field?: string } }) => err.details?.field === 'rules[0].spec.critical');
      await assert.rejects(f.alerts.importYaml('a: &a [1]\nb: *a\n', 'user:admin'), /YAML|rules/);
    } finally {
      await f.close();
    }
  });
});
