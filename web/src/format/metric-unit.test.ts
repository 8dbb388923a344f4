import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricUnit } from './metric-unit.js';

test('metricUnit follows the naming convention of docs/metrics.md', () => {
  assert.equal(metricUnit('cpu_usage_percent'), 'percent');
  assert.equal(metricUnit('memory_used_bytes'), 'bytes');
  assert.equal(metricUnit('disk_read_bytes_per_second'), 'bytesPerSecond');
  assert.equal(metricUnit('network_receive_packets_per_second'), 'perSecond');
  assert.equal(metricUnit('uptime_seconds'), 'seconds');
  assert.equal(metricUnit('vigil_agent_dropped_samples_total'), 'count');
  assert.equal(metricUnit('load1'), 'none');
});
