import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Head, type FinalChunk, type HeadColumns } from './head.js';

interface SampleRow {
  seriesId: number;
  ts: number;
  value: number;
}

const columnsOf = (rows: SampleRow[]): HeadColumns => ({ seriesIds: rows.map((r) => r.seriesId), ts: rows.map((r) => r.ts), values: rows.map((r) => r.value) });

const T0 = 1_763_800_000_000;
const MIN = 60_000;

function append(head: Head, rows: SampleRow[]) {
  const batch = columnsOf(rows);
  const out = head.plan(batch);
  head.apply(batch, out);
  return out;
}

function readAll(head: Head, id: number): [number, number][] {
  return head.read(id, 0, Number.MAX_SAFE_INTEGER).flatMap((c) => [...c.ts].map((t, i): [number, number] => [t, c.values[i]!]));
}

const row = (seriesId: number, ts: number, value: number): SampleRow => ({ seriesId, ts, value });

test('in-order samples are stored and read back; chunks close at 120 samples', () => {
  const head = new Head();
  const rows = Array.from({ length: 300 }, (_, i) => row(1, T0 + i * 1000, i));
  assert.ok(append(head, rows).every((o) => o === 'stored'));
  assert.deepEqual(readAll(head, 1), rows.map((r) => [r.ts, r.value]));
  assert.equal(head.stats().chunks, 3);
  assert.deepEqual(head.latest(1), { ts: T0 + 299_000, value: 299 });
});

test('a chunk closes when its span reaches chunkMaxSpanMs', () => {
  const head = new Head({ chunkMaxSpanMs: 10 * MIN });
  append(head, [0, 5, 9, 10, 11].map((m) => row(1, T0 + m * MIN, m)));
  assert.equal(head.stats().chunks, 2);
});

test('duplicates, conflicts and out-of-order samples, also within one batch', () => {
  const head = new Head({ oooWindowMs: 10 * MIN });
  head.observeNow(T0);
  append(head, [row(1, T0, 1), row(1, T0 + 60_000, 2)]);
  const out = append(head, [
    row(1, T0, 1), // exact duplicate of a held sample
    row(1, T0, 9), // conflict
    row(1, T0 + 30_000, 3), // out of order, inside the window
    row(1, T0 + 30_000, 3), // duplicate of a row earlier in this batch
    row(1, T0 + 30_000, 4), // conflict with a row earlier in this batch
    row(1, T0 + 60_000 - 10 * MIN - 1, 5), // older than the window
    row(1, T0 + 120_000, 6), // in order
    row(1, T0 + 120_000, 6), // duplicate of the in-order row just before
    row(2, T0 - 365 * 24 * 60 * MIN, 7), // new series: in order, however old
  ]);
  assert.deepEqual(out, ['duplicate', 'conflict', 'stored', 'duplicate', 'conflict', 'too_old', 'stored', 'duplicate', 'stored']);
  assert.deepEqual(readAll(head, 1), [
    [T0, 1],
    [T0 + 30_000, 3],
    [T0 + 60_000, 2],
    [T0 + 120_000, 6],
  ]);
});

test('the window is measured from the newer of the newest sample and the clock', () => {
  const head = new Head({ oooWindowMs: 10 * MIN });
  append(head, [row(1, T0, 1), row(1, T0 + 5 * MIN, 2)]);
  head.observeNow(T0 + 14 * MIN);
  assert.deepEqual(append(head, [row(1, T0 + 3 * MIN, 3), row(1, T0 + 4 * MIN + 1, 4)]), ['too_old', 'stored']);
  // A later, smaller clock value does not move the window back.
  head.observeNow(T0);
  assert.deepEqual(append(head, [row(1, T0 + 3 * MIN, 3)]), ['too_old']);
});

test('finalized chunks are frozen, released after persistence, and older samples become too old', () => {
  const head = new Head({ oooWindowMs: 10 * MIN, chunkMaxSpanMs: 2 * 60 * MIN });
  append(head, Array.from({ length: 240 }, (_, i) => row(1, T0 + i * 1000, i)));
  head.observeNow(T0 + 240_000);
  assert.equal(head.collectFinal().length, 0, 'both chunks are inside the window');
  head.observeNow(T0 + 240_000 + 10 * MIN + 1000);
  let final = head.collectFinal();
  assert.equal(final.length, 1, 'the closed chunk is final; the open one still has span left');
  assert.deepEqual([final[0]!.minTs, final[0]!.maxTs, final[0]!.count], [T0, T0 + 119_000, 120]);
  assert.equal(head.collectFinal().length, 0, 'a frozen chunk is returned once');
  // Still readable until released.
  assert.equal(readAll(head, 1).length, 240);
  head.releaseFinal(final);
  assert.equal(readAll(head, 1).length, 120);
  assert.equal(head.persistedMaxTs(1), T0 + 119_000);
  assert.deepEqual(append(head, [row(1, T0 + 5000, 5)]), ['too_old']);
  // Once the span has run out, the idle open chunk is final too.
  head.observeNow(T0 + 3 * 60 * MIN);
  final = head.collectFinal();
  assert.equal(final.length, 1);
  head.releaseFinal(final);
  assert.equal(head.stats().chunks, 0);
  // In-order samples are still accepted and start a new chunk.
  assert.deepEqual(append(head, [row(1, T0 + 240_000, 1)]), ['stored']);
});

test('replay skips persisted and repeated samples and restores out-of-order ones', () => {
  const head = new Head();
  head.setPersisted(1, T0 + 10_000);
  assert.equal(head.replay(1, T0 + 5000, 1), false);
  assert.equal(head.replay(1, T0 + 20_000, 2), true);
  assert.equal(head.replay(1, T0 + 20_000, 2), false);
  assert.equal(head.replay(1, T0 + 15_000, 3), true);
  assert.deepEqual(readAll(head, 1), [
    [T0 + 15_000, 3],
    [T0 + 20_000, 2],
  ]);
});

test('many out-of-order samples into one range keep chunks bounded', () => {
  const head = new Head({ chunkMaxSamples: 10, oooWindowMs: 60 * MIN });
  append(head, [row(1, T0 + 1_000_000, 0)]);
  const rows = Array.from({ length: 100 }, (_, i) => row(1, T0 + 1_000_000 - (i + 1) * 7, i));
  assert.ok(append(head, rows).every((o) => o === 'stored'));
  const all = readAll(head, 1);
  assert.equal(all.length, 101);
  for (let i = 1; i < all.length; i++) assert.ok(all[i]![0] > all[i - 1]![0]);
  assert.ok(head.read(1, 0, Number.MAX_SAFE_INTEGER).every((c) => c.ts.length <= 20));
});

test('property: outcomes follow the rules and the head holds exactly the stored samples', () => {
  const W = 5 * MIN;
  const op = fc.oneof(
    fc.record({ kind: fc.constant('batch' as const), rows: fc.array(fc.record({ id: fc.integer({ min: 1, max: 3 }), dt: fc.integer({ min: -12 * MIN, max: 2 * MIN }), v: fc.integer({ min: 0, max: 3 }) }), { maxLength: 30 }) }),
    fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 20 * MIN }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
      const head = new Head({ oooWindowMs: W, chunkMaxSamples: 8, chunkMaxSpanMs: 30 * MIN });
      const model = new Map<number, Map<number, number>>();
      const persisted = new Map<number, number>();
      const newest = new Map<number, number>();
      let now = T0;
      head.observeNow(now);
      for (const o of ops) {
        if (o.kind === 'tick') {
          now += o.dt;
          head.observeNow(now);
          const final: FinalChunk[] = head.collectFinal();
          for (const f of final) persisted.set(f.seriesId, Math.max(persisted.get(f.seriesId) ?? -Infinity, f.maxTs));
          head.releaseFinal(final);
          continue;
        }
        const rows = o.rows.map((r) => row(r.id, Math.round((now + r.dt) / 1000) * 1000, r.v));
        const batch = columnsOf(rows);
        const out = head.plan(batch);
        rows.forEach((r, i) => {
          const m = model.get(r.seriesId) ?? new Map<number, number>();
          model.set(r.seriesId, m);
          const held = m.get(r.ts);
          const p = persisted.get(r.seriesId) ?? -Infinity;
          const nw = newest.get(r.seriesId) ?? -Infinity;
          const outcome = out[i];
          if (held !== undefined && r.ts > p) assert.equal(outcome, held === r.value ? 'duplicate' : 'conflict');
          else if (held !== undefined) assert.equal(outcome, 'too_old');
          else if (r.ts > nw) assert.equal(outcome, 'stored');
          else if (r.ts >= Math.max(nw, now) - W && r.ts > p) assert.equal(outcome, 'stored');
          else assert.equal(outcome, 'too_old');
          if (outcome === 'stored') {
            m.set(r.ts, r.value);
            newest.set(r.seriesId, Math.max(nw, r.ts));
          }
        });
        head.apply(batch, out);
      }
      for (const [id, m] of model) {
        const p = persisted.get(id) ?? -Infinity;
        const expected = [...m].filter(([t]) => t > p).sort((a, b) => a[0] - b[0]);
        assert.deepEqual(readAll(head, id), expected);
      }
    }),
    { numRuns: 300 },
  );
});

test('restoreChunk keeps a checkpoint chunk as it is, or replays it when it overlaps', async () => {
  const { ChunkEncoder } = await import('../codec/chunk-encoder.js');
  const { decodeChunk } = await import('../codec/decode-chunk.js');
  const enc = new ChunkEncoder();
  for (let i = 0; i < 10; i++) enc.append(T0 + i * 1000, i);
  const bytes = enc.finish();
  const d = decodeChunk(bytes);
  const head = new Head();
  assert.equal(head.restoreChunk(1, d.ts, d.values, bytes), 10);
  assert.equal(head.stats().chunks, 1);
  assert.deepEqual(head.latest(1), { ts: T0 + 9000, value: 9 });
  // In-order appends continue in a new open chunk.
  assert.deepEqual(append(head, [row(1, T0 + 10_000, 10)]), ['stored']);
  // Overlapping data (already partly persisted) goes sample by sample.
  const other = new Head();
  other.setPersisted(1, T0 + 4000);
  assert.equal(other.restoreChunk(1, d.ts, d.values, bytes), 5);
  assert.deepEqual(readAll(other, 1).map(([t]) => t), [5, 6, 7, 8, 9].map((i) => T0 + i * 1000));
});
