import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupOf, RoutingTree } from './routing-tree.js';

describe('routing tree', () => {
  const tree = new RoutingTree({
    root: {
      id: 'root',
      matchers: [],
      receiver: 'default',
      groupBy: ['alertname'],
      routes: [
        { id: 'db', matchers: [{ name: 'team', op: '=', value: 'db' }], receiver: 'dba', continue: true, groupBy: ['alertname', 'host'] },
        { id: 'critical', matchers: [{ name: 'severity', op: '=', value: 'critical' }], escalation: [{ after: '15m', receiver: 'lead' }], routes: [{ id: 'critical-web', matchers: [{ name: 'host', op: '=~', value: 'web-.*' }], receiver: 'web' }] },
        { id: 'never', matchers: [{ name: 'severity', op: '=', value: 'critical' }], receiver: 'unreachable' },
      ],
    },
    fallbackReceiver: null,
    fallbackAfter: '10m',
    version: 1,
  });

  it('matches like Alertmanager: first match stops unless continue; deepest match wins; root catches the rest', () => {
    const ids = (labels: Record<string, string>) => tree.match(labels).map((r) => r.id);
    assert.deepEqual(ids({ severity: 'warning' }), ['root']);
    assert.deepEqual(ids({ severity: 'critical', host: 'db-1' }), ['critical']);
    assert.deepEqual(ids({ severity: 'critical', host: 'web-1' }), ['critical-web']);
    assert.deepEqual(ids({ team: 'db', severity: 'critical', host: 'db-1' }), ['db', 'critical'], 'continue goes on to the next sibling');
  });

  it('inherits settings, prepends the route receiver as escalation step 0, and groups by the route labels', () => {
    const critical = tree.route('critical')!;
    assert.deepEqual(critical.escalation, [{ afterMs: 0, receiver: 'default' }, { afterMs: 900_000, receiver: 'lead' }]);
    assert.deepEqual(tree.route('critical-web')!.escalation, critical.escalation, 'children inherit the escalation');
    assert.equal(critical.groupWaitMs, 30_000);
    const g = groupOf(tree.route('db')!, { alertname: 'X', host: 'db-1', severity: 'critical' });
    assert.deepEqual(g.labels, { alertname: 'X', host: 'db-1' });
    assert.deepEqual(groupOf({ ...critical, groupBy: ['...'] }, { b: '2', a: '1' }).labels, { a: '1', b: '2' });
    assert.deepEqual([...tree.receivers].sort(), ['dba', 'default', 'lead', 'unreachable', 'web']);
  });

  it('rejects bad trees with field names', () => {
    const bad = (root: unknown, msg: RegExp) => assert.throws(() => new RoutingTree({ root: root as never, fallbackReceiver: null, fallbackAfter: '10m', version: 0 }), msg);
    bad({ id: 'root', matchers: [] }, /receiver is required/);
    bad({ id: 'root', receiver: 'x', matchers: [{ name: 'a', op: '=', value: 'b' }] }, /root route matches every alert/);
    bad({ id: 'root', receiver: 'x', routes: [{ id: 'root' }] }, /unique/);
    bad({ id: 'root', receiver: 'x', routes: 'x' }, /routes must be a list/);
    bad({ id: 'root', receiver: 'x', escalation: [{ after: '10m', receiver: 'a' }, { after: '5m', receiver: 'b' }] }, /must increase/);
    bad({ id: 'root', receiver: 'x', groupInterval: '0s' }, /groupInterval/);
  });
});
