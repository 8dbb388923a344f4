import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VigilError } from '../core/errors.js';
import { parseIngestBatch, type ParseLimits } from './parse-batch.js';

const NOW = Date.UTC(2026, 10, 22, 12);
const limits: ParseLimits = { now: NOW, maxAgeMs: 15 * 86_400_000 };

function codes(body: unknown): string[] {
  return parseIngestBatch(body, limits).errors.map((e) => e.code);
}

describe('parseIngestBatch', () => {
  it('keeps valid items and sorts and dedupes points', () => {
    const r = parseIngestBatch({ series: [{ metric: 'load1', points: [[NOW, 2], [NOW - 1000, 1], [NOW, 2]] }] }, limits);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.series[0]!.ts, [NOW - 1000, NOW]);
    assert.deepEqual(r.series[0]!.values, [1, 2]);
  });

  it('builds the series key from the kept labels in sorted order (empty values dropped)', () => {
    const r = parseIngestBatch({ series: [{ metric: 'm', labels: { b: '2', a: '1', c: '' }, points: [[NOW, 1]] }, { metric: 'm', points: [[NOW, 1]] }] }, limits);
    assert.equal(r.series[0]!.key, 'm\u0000a\u00001\u0000b\u00002');
    assert.deepEqual(r.series[0]!.labels, { a: '1', b: '2' });
    assert.equal(r.series[1]!.key, 'm');
  });

  it('rejects whole-body problems with a VigilError', () => {
    for (const body of [null, 42, 'x', [], {}, { series: {} }, { protocol: 9, series: [] }]) {
      assert.throws(() => parseIngestBatch(body, limits), VigilError);
    }
  });

  it('gives one reason per bad item or point and keeps the rest', () => {
    const body = {
      series: [
        { metric: 'ok', points: [[NOW, 1]] },
        'not an object',
        { metric: 'bad name', points: [[NOW, 1]] },
        { metric: 'm', labels: { '1bad': 'x' }, points: [[NOW, 1]] },
        { metric: 'm', labels: { host: 'evil' }, points: [[NOW, 1]] },
        { metric: 'm', labels: { a: 5 }, points: [[NOW, 1]] },
        { metric: 'm', labels: { __name__: 'x' }, points: [[NOW, 1]] },
        { metric: 'm', points: [[NOW + 3_600_000, 1], [NOW - 30 * 86_400_000, 1], [1.5, 1], [NOW, 'NaN'], [NOW, null], [NOW]] },
        { metric: 'm2', points: [[NOW, 1], [NOW, 2]] },
        { metric: 'm3', labels: { v: 'a'.repeat(2000) }, points: [[NOW, 1]] },
        { metric: 'm4', labels: { v: '\ud800' }, points: [[NOW, 1]] },
      ],
    };
    const r = parseIngestBatch(body, limits);
    assert.equal(r.series.length, 2);
    assert.deepEqual(
      r.errors.map((e) => e.code),
      [
        'VIGIL_ERR_ITEM_SHAPE',
        'VIGIL_ERR_METRIC_NAME',
        'VIGIL_ERR_LABEL_NAME',
        'VIGIL_ERR_RESERVED_LABEL',
        'VIGIL_ERR_LABEL_VALUE',
        'VIGIL_ERR_LABEL_NAME',
        'VIGIL_ERR_TIMESTAMP_TOO_NEW',
        'VIGIL_ERR_TIMESTAMP_TOO_OLD',
        'VIGIL_ERR_TIMESTAMP',
        'VIGIL_ERR_VALUE',
        'VIGIL_ERR_VALUE',
        'VIGIL_ERR_ITEM_SHAPE',
        'VIGIL_ERR_DUPLICATE_TIMESTAMP',
        'VIGIL_ERR_LABEL_VALUE',
        'VIGIL_ERR_LABEL_VALUE',
      ],
    );
    assert.ok(r.errors.every((e) => e.message.length > 10));
  });

  it('rejects non-finite values (what JSON 1e309 parses to)', () => {
    assert.deepEqual(codes({ series: [{ metric: 'm', points: [[NOW, JSON.parse('1e309')], [NOW - 1, -Infinity], [NOW - 2, NaN]] }] }), ['VIGIL_ERR_VALUE', 'VIGIL_ERR_VALUE', 'VIGIL_ERR_VALUE']);
  });

  it('limits labels, points and items', () => {
    const labels = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, 'v']));
    assert.deepEqual(codes({ series: [{ metric: 'm', labels, points: [[NOW, 1]] }] }), ['VIGIL_ERR_TOO_MANY_LABELS']);
    assert.deepEqual(codes({ series: [{ metric: 'm', points: Array.from({ length: 10 }, (_, i) => [NOW - i, 1]) }] }).length, 0);
    assert.deepEqual(parseIngestBatch({ series: [{ metric: 'm', points: Array.from({ length: 11 }, (_, i) => [NOW - i, 1]) }] }, { ...limits, pointsPerSeriesMax: 10 }).errors[0]!.code, 'VIGIL_ERR_TOO_MANY_POINTS');
    assert.throws(() => parseIngestBatch({ series: new Array(5).fill({ metric: 'm', points: [] }) }, { ...limits, seriesPerBatchMax: 4 }), VigilError);
  });

  it('sanitizes the process snapshot and agent stats', () => {
    const r = parseIngestBatch({ series: [], processes: { ts: NOW, processes: [{ pid: 1, name: 'init', cpuPercent: 'x', memoryBytes: 10 }, { pid: 'x' }] }, agentStats: { droppedSamples: -5, spoolBytes: 10 } }, limits);
    assert.deepEqual(r.processes, { ts: NOW, processes: [{ pid: 1, name: 'init', cpuPercent: 0, memoryBytes: 10 }] });
    assert.equal(r.agentStats?.droppedSamples, 0);
    assert.equal(r.agentStats?.spoolBytes, 10);
  });
});

describe('parseIngestBatch properties', () => {
  const metric = fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/);
  const labelName = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((n) => n !== 'host');
  const point = fc.tuple(fc.integer({ min: NOW - 86_400_000, max: NOW }), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const item = fc.record({ metric, labels: fc.dictionary(labelName, fc.string({ minLength: 1, maxLength: 30 }), { maxKeys: 5 }), points: fc.uniqueArray(point, { selector: (p) => p[0], maxLength: 20 }) });

  it('the columnar form (ts + values) means exactly what the points form means', () => {
    // Every point-level rule, mixed with valid points, in and out of order.
    const pairs = fc.array(
      fc.tuple(
        fc.oneof(fc.integer({ min: NOW - 3_000, max: NOW + 3_000 }), fc.constantFrom(NOW + 3_600_000, NOW - 30 * 86_400_000, 1.5, -1, 'x', null)),
        fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(Number.NaN, Infinity, 'NaN', null, -0)),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(pairs, (points) => {
        const viaPoints = parseIngestBatch({ series: [{ metric: 'm', points }] }, limits);
        const viaColumns = parseIngestBatch({ series: [{ metric: 'm', ts: points.map((p) => p[0]), values: points.map((p) => p[1]) }] }, limits);
        const view = (r: ReturnType<typeof parseIngestBatch>) => ({
          errors: r.errors,
          rejected: r.rejectedPoints,
          series: r.series.map((x) => ({ ts: x.ts, values: x.values, at: x.pointIndex ?? x.ts.map((_, k) => k) })),
        });
        assert.deepEqual(view(viaColumns), view(viaPoints));
      }),
      { numRuns: 1000 },
    );
  });

  it('columnar items: mismatched or missing arrays are item errors, valid in-order columns are kept as sent', () => {
    const ts = [NOW - 2000, NOW - 1000, NOW];
    const values = [1, 2, 3];
    const r = parseIngestBatch({ series: [{ metric: 'a', ts, values }, { metric: 'b', ts: [NOW], values: [1, 2] }, { metric: 'c', ts: [NOW] }, { metric: 'd', ts: 'x', values: [] }] }, limits);
    assert.equal(r.series.length, 1);
    assert.equal(r.series[0]!.ts, ts, 'no copy of valid in-order columns');
    assert.equal(r.series[0]!.pointIndex, null);
    assert.deepEqual(r.errors.map((e) => [e.index, e.code]), [[1, 'VIGIL_ERR_ITEM_SHAPE'], [2, 'VIGIL_ERR_ITEM_SHAPE'], [3, 'VIGIL_ERR_ITEM_SHAPE']]);
    assert.equal(r.rejectedPoints, 3);
  });

  it('accepts every valid batch without errors and keeps every point', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 20 }), (series) => {
        const r = parseIngestBatch({ series }, limits);
        assert.deepEqual(r.errors, []);
        const kept = r.series.reduce((n, s) => n + s.ts.length, 0);
        assert.equal(kept, series.reduce((n, s) => n + s.points.length, 0));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but a VigilError for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ series: fc.array(fc.jsonValue(), { maxLength: 10 }) }), fc.record({ series: fc.array(fc.record({ metric: fc.jsonValue(), labels: fc.jsonValue(), points: fc.array(fc.jsonValue()) })) }), fc.record({ series: fc.array(fc.record({ metric: fc.constant('m'), ts: fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue())), values: fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue())) })) })), (body) => {
        try {
          const r = parseIngestBatch(body, limits);
          for (const e of r.errors) assert.ok(Number.isInteger(e.index));
        } catch (err) {
          assert.ok(err instanceof VigilError, String(err));
          assert.ok(err.status >= 400 && err.status < 500);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
