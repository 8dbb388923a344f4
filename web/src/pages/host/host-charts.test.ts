import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseSelector } from '../../../../src/protocol/selector.js';
import { chartQueryParams, HOST_CHARTS, lineKey, livePointsFor, resultToSources } from './host-charts.js';

const chart = (id: string) => HOST_CHARTS.find((c) => c.id === id)!;

test('chart queries print a valid selector with the host matcher', () => {
  const q = chart('cpu').queries[1]!;
  const params = chartQueryParams(q, 'web-1', { start: 0, end: 3_600_000, step: 10_000 });
  assert.equal(params.query, 'cpu_mode_percent{host="web-1",cpu="total",mode=~"user|system|iowait|steal"}');
  assert.equal(params.by, 'mode');
  assert.equal(params.agg, 'avg');
  assert.equal(params.step, 10_000);
  assert.equal(chartQueryParams(chart('load').queries[0]!, 'h', { start: 0, end: 1, step: 1 }).by, undefined);
});

test('property: any host name gives a selector that parses back with that host', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 255 }), (host) => {
      for (const c of HOST_CHARTS) {
        for (const q of c.queries) {
          const sel = parseSelector(String(chartQueryParams(q, host, { start: 0, end: 1, step: 1 }).query));
          assert.equal(sel.metric, q.metric);
          assert.deepEqual(sel.matchers[0], { name: 'host', op: '=', value: host });
        }
      }
    }),
  );
});

test('live samples map to the same lines as queried data', () => {
  const cpu = chart('cpu-cores');
  const q = cpu.queries[0]!;
  const sources = resultToSources(q, {
    start: 0,
    end: 20,
    step: 10,
    tier: 'raw',
    timestamps: [0, 10],
    series: [{ metric: 'cpu_usage_percent', labels: { cpu: '0' }, values: [1, 2] }],
    stats: { seriesMatched: 1, samplesScanned: 2 },
  });
  const live = livePointsFor(cpu, [
    { metric: 'cpu_usage_percent', labels: { host: 'h', cpu: '0' }, points: [[25, 9]] },
    { metric: 'cpu_usage_percent', labels: { host: 'h', cpu: 'total' }, points: [[25, 5]] },
    { metric: 'load1', labels: { host: 'h' }, points: [[25, 1]] },
  ]);
  assert.equal(live.length, 1, 'total is excluded by cpu!="total"; other metrics are ignored');
  assert.equal(live[0]!.key, sources[0]!.key);
  assert.equal(live[0]!.label, 'core 0');
  assert.notEqual(lineKey(q, { cpu: '1' }), lineKey(q, { cpu: '0' }));
});

test('the CPU chart takes user/system/iowait/steal but not idle', () => {
  const pts = livePointsFor(chart('cpu'), [
    { metric: 'cpu_mode_percent', labels: { cpu: 'total', mode: 'idle' }, points: [[1, 90]] },
    { metric: 'cpu_mode_percent', labels: { cpu: 'total', mode: 'user' }, points: [[1, 7]] },
    { metric: 'cpu_mode_percent', labels: { cpu: '0', mode: 'user' }, points: [[1, 7]] },
    { metric: 'cpu_usage_percent', labels: { cpu: 'total' }, points: [[1, 10]] },
  ]);
  assert.deepEqual(
    pts.map((p) => p.label),
    ['total', 'user'],
  );
});
