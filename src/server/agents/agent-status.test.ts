import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agentStatus } from './agent-status.js';

describe('agentStatus', () => {
  it('derives online, stale, offline and never from heartbeat age', () => {
    assert.equal(agentStatus(null, 10_000, 0), 'never');
    assert.equal(agentStatus(1000, 10_000, 30_000), 'online');
    assert.equal(agentStatus(0, 10_000, 31_000), 'stale');
    assert.equal(agentStatus(0, 10_000, 300_000), 'stale');
    assert.equal(agentStatus(0, 10_000, 300_001), 'offline');
    assert.equal(agentStatus(0, 60_000, 180_000), 'online', 'scales with a slow agent interval');
  });
});
