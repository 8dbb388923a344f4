import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalEventBus } from '../live/event-bus.js';
import { LeaderCommands, NoLeaderAnswer, type AlertCommand } from './leader-commands.js';

describe('LeaderCommands', () => {
  it('a follower’s command is applied by the leader only, and its answer comes back', async () => {
    // One bus stands for the Redis channel both replicas share.
    const bus = new LocalEventBus();
    const leader = new LeaderCommands(bus);
    const follower = new LeaderCommands(bus);
    const appliedBy: string[] = [];
    leader.start(() => true, async (c: AlertCommand) => {
      appliedBy.push(`leader:${c.op}:${c.alertId}`);
      return c.alertId === 'a1';
    }, (e) => assert.fail(String(e)));
    follower.start(() => false, async () => {
      appliedBy.push('follower');
      return true;
    }, (e) => assert.fail(String(e)));
    assert.equal(await follower.request({ op: 'ack', alertId: 'a1', by: 'u', comment: '', expiresAt: null }), true);
    assert.equal(await follower.request({ op: 'unack', alertId: 'zz', by: 'u' }), false);
    assert.deepEqual(appliedBy, ['leader:ack:a1', 'leader:unack:zz']);
    leader.stop();
    follower.stop();
  });

  it('without a leader the request fails with NoLeaderAnswer after the timeout', async () => {
    const bus = new LocalEventBus();
    const follower = new LeaderCommands(bus, 50);
    follower.start(() => false, async () => true, (e) => assert.fail(String(e)));
    await assert.rejects(follower.request({ op: 'unack', alertId: 'x', by: 'u' }), NoLeaderAnswer);
    follower.stop();
  });
});
