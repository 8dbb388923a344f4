import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentView } from '../../../../src/protocol/agents.js';
import { countByStatus, describeOs, sortAgents, upsertAgent } from './agent-list.js';

const agent = (id: string, name: string, status: AgentView['status'] = 'online'): AgentView => ({
  id,
  name,
  hostname: name,
  os: 'linux',
  osRelease: null,
  kernel: null,
  arch: null,
  agentVersion: null,
  intervalMs: 10_000,
  cpuCount: 2,
  memoryBytes: 1,
  bootTime: null,
  capabilities: [],
  unavailable: [],
  createdAt: 0,
  lastSeen: null,
  status,
  current: { cpuPercent: null, memoryPercent: null, diskPercent: null, load1: null },
  droppedSamples: 0,
  lastError: null,
});

test('upsertAgent replaces by id and keeps natural name order', () => {
  const list = sortAgents([agent('1', 'web-10'), agent('2', 'web-2')]);
  assert.deepEqual(
    list.map((a) => a.name),
    ['web-2', 'web-10'],
  );
  const next = upsertAgent(list, { ...agent('2', 'web-2', 'offline') });
  assert.equal(next.length, 2);
  assert.equal(next[0]!.status, 'offline');
  assert.equal(upsertAgent(next, agent('3', 'db-1'))[0]!.name, 'db-1');
  assert.equal(list[0]!.status, 'online', 'input not modified');
});

test('countByStatus and describeOs', () => {
  assert.deepEqual(countByStatus([agent('1', 'a'), agent('2', 'b', 'stale'), agent('3', 'c', 'never')]), { online: 1, stale: 1, offline: 0, never: 1 });
  assert.equal(describeOs({ os: 'linux', osRelease: 'Debian GNU/Linux 12', kernel: '6.1.0', arch: 'x64' }), 'Debian GNU/Linux 12 · 6.1.0 · x64');
  assert.equal(describeOs({ os: null, osRelease: null, kernel: null, arch: null }), '–');
});
