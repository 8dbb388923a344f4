import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topProcesses } from './top-processes.js';

test('topProcesses sorts by the chosen column and limits rows', () => {
  const ps = [
    { pid: 1, name: 'a', cpuPercent: 5, memoryBytes: 300 },
    { pid: 2, name: 'b', cpuPercent: 50, memoryBytes: 100 },
    { pid: 3, name: 'c', cpuPercent: 5, memoryBytes: 200 },
  ];
  assert.deepEqual(
    topProcesses(ps, 'cpu').map((p) => p.pid),
    [2, 1, 3],
  );
  assert.deepEqual(
    topProcesses(ps, 'memory', 2).map((p) => p.pid),
    [1, 3],
  );
});
