import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeLogRecord, encodeLogRecord } from './log-record.js';
import { ChunkCorruptError } from './chunk-corrupt-error.js';
import { MAX_TIMESTAMP_MS } from './chunk-format.js';

const entry = fc.record({
  id: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  ts: fc.integer({ min: 0, max: MAX_TIMESTAMP_MS }),
  value: fc.double({ noNaN: true }),
});

test('round trip: arbitrary ids, timestamps (any order) and non-NaN values', () => {
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 200 }), (rows) => {
      const bytes = encodeLogRecord({ seriesIds: rows.map((r) => r.id), ts: rows.map((r) => r.ts), values: rows.map((r) => r.value) });
      const out = decodeLogRecord(bytes);
      assert.deepEqual([...out.seriesIds], rows.map((r) => r.id));
      assert.deepEqual([...out.ts], rows.map((r) => r.ts));
      rows.forEach((r, i) => assert.ok(Object.is(out.values[i], r.value)));
    }),
    { numRuns: 300 },
  );
});

const cols = (seriesIds: number[], ts: number[], values: number[]) => ({ seriesIds, ts, values });

test('outcomes select the stored samples, in order', () => {
  const bytes = encodeLogRecord(cols([1, 2, 3], [10, 20, 30], [1.5, 2.5, 3.5]), ['stored', 'duplicate', 'stored']);
  const out = decodeLogRecord(bytes);
  assert.deepEqual([...out.seriesIds], [1, 3]);
  assert.deepEqual([...out.ts], [10, 30]);
  assert.deepEqual([...out.values], [1.5, 3.5]);
  assert.equal(decodeLogRecord(encodeLogRecord(cols([1], [1], [1]), ['too_old'])).ts.length, 0);
});

test('a batch of interleaved series sharing a scrape timestamp costs about 11 bytes/sample', () => {
  const n = 10_000;
  const ids = Array.from({ length: n }, (_, i) => 1 + (i % 5000));
  const ts = Array.from({ length: n }, (_, i) => 1_763_800_000_000 + Math.floor(i / 5000) * 1000);
  const bytes = encodeLogRecord(cols(ids, ts, ids.map((i) => i * 0.5)));
  assert.ok(bytes.length / n < 12, `${bytes.length / n} bytes/sample`);
});

test('table: damaged records give ChunkCorruptError', () => {
  const good = encodeLogRecord(cols([7, 8, 9], [1000, 2000, 3000], [1, 2, 3]));
  const cases: Record<string, Uint8Array> = {
    empty: new Uint8Array(0),
    truncatedRecord: good.subarray(0, good.length - 5),
    truncatedCrc: good.subarray(0, good.length - 1),
    flippedByte: good.map((b, i) => (i === 5 ? b ^ 0xff : b)),
    badLength: (() => {
      const b = good.slice();
      b[1] = 0x7f;
      return b;
    })(),
    garbageTail: new Uint8Array([...good, 1, 2, 3]),
    zeroFilled: new Uint8Array(good.length),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    assert.throws(() => decodeLogRecord(bytes), ChunkCorruptError, name);
  }
});

test('arbitrary bytes give ChunkCorruptError or a valid decode, nothing else', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        decodeLogRecord(bytes);
      } catch (err) {
        assert.ok(err instanceof ChunkCorruptError, String(err));
      }
    }),
    { numRuns: 1000 },
  );
});

test('checkpoint parts: round trip across part boundaries, damage is typed', async () => {
  const { encodeCheckpointParts, decodeCheckpointPart } = await import('./checkpoint-part.js');
  const entries = Array.from({ length: 50 }, (_, i) => ({ seriesId: i * 1000, bytes: new Uint8Array(i * 3).fill(i) }));
  const parts = encodeCheckpointParts(entries, 200);
  assert.ok(parts.length > 1);
  const back = parts.flatMap((p) => decodeCheckpointPart(p));
  assert.deepEqual(back.map((e) => [e.seriesId, [...e.bytes]]), entries.map((e) => [e.seriesId, [...e.bytes]]));
  assert.deepEqual(encodeCheckpointParts([]), []);
  const bad = parts[0]!.slice();
  bad[3]! ^= 1;
  assert.throws(() => decodeCheckpointPart(bad), ChunkCorruptError);
  assert.throws(() => decodeCheckpointPart(parts[0]!.subarray(0, 10)), ChunkCorruptError);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      try {
        decodeCheckpointPart(bytes);
      } catch (err) {
        assert.ok(err instanceof ChunkCorruptError);
      }
    }),
  );
});
