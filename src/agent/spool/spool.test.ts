import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../testing/fixture-host.js';
import { Spool, type SpoolOptions } from './spool.js';
import { FRAME_HEADER_BYTES, RECORD_META_BYTES, scanSegment } from './spool-record.js';

const T0 = 1_800_000_000_000;
const body = (seq: number, len = 40) => Buffer.from(`{"batch":${seq},"pad":"${'x'.repeat(len)}"}`);

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vigil-spool-'));
}

function opts(dir: string, extra: Partial<SpoolOptions> = {}): SpoolOptions & { log: ReturnType<typeof memoryLogger> } {
  return { dir, maxBytes: 1024 * 1024, maxAgeMs: 24 * 3_600_000, log: memoryLogger(), ...extra } as SpoolOptions & { log: ReturnType<typeof memoryLogger> };
}

function segments(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.vgs')).sort().map((n) => join(dir, n));
}

/** Spools batches 0-2 in `dir`, acks batch 0, closes; returns the stream id. */
async function threeBatchesFirstAcked(dir: string): Promise<string> {
  const spool = await Spool.open(opts(dir));
  for (let i = 0; i < 3; i++) await spool.append({ body: body(i), samples: 1, items: 1 }, T0);
  await spool.peek();
  await spool.ack(0, { kind: 'delivered' });
  await spool.close();
  return spool.streamId;
}

async function drain(spool: Spool): Promise<number[]> {
  const seqs: number[] = [];
  for (let r = await spool.peek(); r; r = await spool.peek()) {
    seqs.push(r.seq);
    await spool.ack(r.seq, { kind: 'delivered' });
  }
  return seqs;
}

test('batches come out in order with their bodies; acks persist across a reopen; seqs never restart', async () => {
  const dir = tempDir();
  try {
    let spool = await Spool.open(opts(dir));
    for (let i = 0; i < 5; i++) assert.deepEqual(await spool.append({ body: body(i), samples: 10 + i, items: 2 }, T0 + i), { stored: true, seq: i });
    const first = await spool.peek();
    assert.deepEqual(first && { ...first, body: first.body.toString() }, { seq: 0, createdAt: T0, samples: 10, items: 2, body: body(0).toString() });
    await spool.ack(0, { kind: 'delivered' });
    await spool.ack(1, { kind: 'delivered' }); // not leased and not oldest... it is the oldest now: allowed
    assert.deepEqual(spool.stats().pendingBatches, 3);
    await spool.close();

    spool = await Spool.open(opts(dir));
    assert.deepEqual(spool.pending().map((p) => p.seq), [2, 3, 4]);
    const r = await spool.peek();
    assert.equal(r?.body.toString(), body(2).toString(), 'bodies are read back from disk after a restart');
    assert.deepEqual(await drain(spool), [2, 3, 4]);
    await spool.close();

    // Everything acked: the next run continues above every seq ever handed out, in the same stream.
    const stream = spool.streamId;
    spool = await Spool.open(opts(dir));
    const next = await spool.append({ body: body(9), samples: 1, items: 1 }, T0);
    assert.ok(next.stored && next.seq > 4, JSON.stringify(next));
    assert.equal(spool.streamId, stream);
    assert.match(stream, /^[0-9a-f]{16}$/);
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ack outcomes feed the counters; a mismatched ack is ignored with a warning', async () => {
  const dir = tempDir();
  try {
    const o = opts(dir);
    const spool = await Spool.open(o);
    for (let i = 0; i < 3; i++) await spool.append({ body: body(i), samples: 5, items: 4 }, T0);
    await spool.peek();
    await spool.ack(7, { kind: 'delivered' });
    assert.equal(spool.stats().pendingBatches, 3);
    assert.ok(o.log.events.some((e) => e.level === 'warn' && /not the oldest/.test(e.msg)));
    await spool.ack(0, { kind: 'rejected', items: 3, wholeBatch: false });
    await spool.peek();
    await spool.ack(1, { kind: 'rejected', items: 4, wholeBatch: true });
    const s = spool.stats();
    assert.equal(s.rejectedItems, 7);
    assert.equal(s.deadLetterBatches, 1);
    assert.equal(s.droppedSamples, 0);
    await spool.close();
    const again = await Spool.open(opts(dir));
    assert.equal(again.stats().rejectedItems, 7, 'counters survive a restart');
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Writes five batches into one segment and returns its path and the records' offsets. */
async function fiveRecords(dir: string): Promise<{ path: string; offsets: number[]; sizes: number[] }> {
  const spool = await Spool.open(opts(dir));
  for (let i = 0; i < 5; i++) await spool.append({ body: body(i), samples: 1, items: 1 }, T0);
  await spool.close();
  const [path] = segments(dir);
  const scan = scanSegment(readFileSync(path as string));
  return { path: path as string, offsets: scan.records.map((r) => r.offset), sizes: scan.records.map((r) => r.size) };
}

// Reliability T3: one corruption per case; the spool starts, counts exactly one corruption, keeps
// every record before it, invents nothing after it, and accepts new writes afterwards.
const T3_CASES: { name: string; damage: (f: { path: string; offsets: number[]; sizes: number[] }) => void; survivors: number[] }[] = [
  {
    name: 'truncated mid-record (torn last write)',
    damage: ({ path, offsets }) => truncateSync(path, (offsets[4] as number) + 20),
    survivors: [0, 1, 2, 3],
  },
  {
    name: 'torn header at the end',
    damage: ({ path, offsets }) => truncateSync(path, (offsets[4] as number) + 5),
    survivors: [0, 1, 2, 3],
  },
  {
    name: 'flipped checksum byte',
    damage: ({ path, offsets }) => flip(path, (offsets[2] as number) + 8),
    survivors: [0, 1, 3, 4],
  },
  {
    name: 'flipped payload byte',
    damage: ({ path, offsets }) => flip(path, (offsets[2] as number) + FRAME_HEADER_BYTES + RECORD_META_BYTES + 3),
    survivors: [0, 1, 3, 4],
  },
  {
    name: 'bad length field',
    damage: ({ path, offsets }) => patch(path, (offsets[2] as number) + 4, Buffer.from([0xff, 0xff, 0x00, 0x00])),
    survivors: [0, 1, 3, 4],
  },
  {
    name: 'garbage written over a record',
    damage: ({ path, offsets }) => patch(path, (offsets[1] as number) + 2, Buffer.from('garbage!garbage!')),
    survivors: [0, 2, 3, 4],
  },
  {
    name: 'garbage inserted between records',
    damage: ({ path, offsets }) => {
      const buf = readFileSync(path);
      writeFileSync(path, Buffer.concat([buf.subarray(0, offsets[3]), Buffer.from('\x00junk\xffVGS1junk'), buf.subarray(offsets[3])]));
    },
    survivors: [0, 1, 2, 3, 4],
  },
  {
    name: 'zero-filled tail (preallocated space after a crash)',
    damage: ({ path }) => appendFileSync(path, Buffer.alloc(4096)),
    survivors: [0, 1, 2, 3, 4],
  },
];

function flip(path: string, at: number): void {
  const buf = readFileSync(path);
  buf[at] = (buf[at] as number) ^ 0x5a;
  writeFileSync(path, buf);
}

function patch(path: string, at: number, bytes: Buffer): void {
  const buf = readFileSync(path);
  bytes.copy(buf, at);
  writeFileSync(path, buf);
}

for (const c of T3_CASES) {
  test(`T3 corrupted spool file: ${c.name}`, async () => {
    const dir = tempDir();
    try {
      const f = await fiveRecords(dir);
      c.damage(f);
      const o = opts(dir);
      let spool = await Spool.open(o);
      assert.equal(spool.stats().corruptRecords, 1);
      assert.equal(o.log.events.filter((e) => e.level === 'error' && /damaged/.test(e.msg)).length, 1, 'logged once');
      assert.deepEqual(spool.pending().map((p) => p.seq), c.survivors);
      // A torn last record never makes its seq (and so its Idempotency-Key) come back.
      const next = await spool.append({ body: body(5), samples: 1, items: 1 }, T0);
      assert.ok(next.stored && next.seq > 4);
      await spool.close();
      // The damage was cut out of the file: the next start neither finds nor counts it again.
      spool = await Spool.open(opts(dir));
      assert.equal(spool.stats().corruptRecords, 1);
      const seqs = await drain(spool);
      assert.deepEqual(seqs, [...c.survivors, next.seq]);
      await spool.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a record damaged after it was written is detected when read, counted with its samples, and skipped', async () => {
  const dir = tempDir();
  try {
    const o = opts(dir);
    const spool = await Spool.open(o);
    // Twelve batches: the oldest four are no longer cached in memory, so they are read from disk.
    for (let i = 0; i < 12; i++) await spool.append({ body: body(i), samples: 100 + i, items: 1 }, T0);
    const [path] = segments(dir);
    const scan = scanSegment(readFileSync(path as string));
    flip(path as string, (scan.records[1]?.offset as number) + FRAME_HEADER_BYTES + RECORD_META_BYTES + 1);
    assert.deepEqual((await drain(spool)).slice(0, 3), [0, 2, 3]);
    const s = spool.stats();
    assert.equal(s.corruptRecords, 1);
    assert.equal(s.droppedSamples, 101);
    assert.equal(s.droppedBatches, 1);
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('size limit: the oldest batches are dropped first, the dropped samples are counted exactly, disk stays bounded', async () => {
  const dir = tempDir();
  try {
    const o = opts(dir, { maxBytes: 8 * 1024, segmentBytes: 1024 });
    const spool = await Spool.open(o);
    let total = 0;
    for (let i = 0; i < 100; i++) {
      const r = await spool.append({ body: body(i, 100 + (i % 7) * 10), samples: i + 1, items: 1 }, T0 + i);
      assert.ok(r.stored);
      total += i + 1;
      assert.ok(spool.stats().diskBytes <= 8 * 1024, `disk ${spool.stats().diskBytes}`);
    }
    const pending = spool.pending();
    const kept = pending.reduce((a, p) => a + p.samples, 0);
    assert.equal(spool.stats().droppedSamples, total - kept, 'every missing sample is counted');
    // What remains is the newest run of batches, without holes.
    const seqs = pending.map((p) => p.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => 100 - seqs.length + i));
    assert.ok(seqs.length > 10 && seqs.length < 100);
    assert.ok(o.log.events.some((e) => e.level === 'warn' && /spool full/.test(e.msg)));
    assert.deepEqual(await drain(spool), seqs);
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('age limit: batches older than max age are dropped one by one and counted; the warning is throttled', async () => {
  const dir = tempDir();
  try {
    const o = opts(dir, { maxAgeMs: 60_000 });
    const spool = await Spool.open(o);
    for (let i = 0; i < 10; i++) await spool.append({ body: body(i), samples: 7, items: 1 }, T0 + i * 10_000);
    // At T0 + 95 s the batches collected before T0 + 35 s (0, 10, 20, 30 s) are too old.
    await spool.prune(T0 + 95_000);
    assert.deepEqual(spool.pending().map((p) => p.seq), [4, 5, 6, 7, 8, 9]);
    assert.equal(spool.stats().droppedSamples, 28);
    await spool.append({ body: body(10), samples: 7, items: 1 }, T0 + 105_000);
    assert.deepEqual(spool.pending()[0]?.seq, 5);
    assert.equal(o.log.events.filter((e) => /older than the age limit/.test(e.msg)).length, 1);
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch larger than the whole spool is dropped and counted', async () => {
  const dir = tempDir();
  try {
    const spool = await Spool.open(opts(dir, { maxBytes: 1024, segmentBytes: 512 }));
    assert.deepEqual(await spool.append({ body: Buffer.alloc(2000, 0x61), samples: 33, items: 3 }, T0), { stored: false, reason: 'too_large' });
    assert.equal(spool.stats().droppedSamples, 33);
    assert.equal(spool.stats().pendingBatches, 0);
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch in flight is never lost to the drop policy: delivered counts as delivered, a retry drops it', async () => {
  for (const answer of ['delivered', 'retry', 'crash'] as const) {
    const dir = tempDir();
    try {
      const spool = await Spool.open(opts(dir, { maxBytes: 4 * 1024, segmentBytes: 1024 }));
      for (let i = 0; i < 4; i++) await spool.append({ body: body(i, 150), samples: 10, items: 1 }, T0);
      const leased = await spool.peek();
      assert.equal(leased?.seq, 0);
      // Fill the spool so the segment holding the leased batch must go.
      for (let i = 4; i < 40; i++) await spool.append({ body: body(i, 150), samples: 10, items: 1 }, T0);
      const dropped = spool.stats().droppedSamples;
      assert.ok(dropped > 0);
      assert.equal(spool.pending()[0]?.seq, 0, 'the leased batch stays first');
      const behind = spool.pending()[1]?.seq as number;
      if (answer === 'delivered') {
        await spool.ack(0, { kind: 'delivered' });
        assert.equal(spool.stats().droppedSamples, dropped);
      } else if (answer === 'retry') {
        await spool.release(0);
        assert.equal(spool.stats().droppedSamples, dropped + 10);
      } else {
        // The agent dies with the batch in flight: it comes back (not counted), the dropped ones do not.
        const again = await Spool.open(opts(dir, { maxBytes: 4 * 1024, segmentBytes: 1024 }));
        assert.deepEqual(again.pending().slice(0, 2).map((p) => p.seq), [0, behind]);
        assert.equal(again.stats().droppedSamples, dropped);
        await again.close();
      }
      const rest = spool.pending().map((p) => p.seq);
      assert.equal(rest[0], answer === 'crash' ? 0 : behind);
      await spool.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('the state.json of an earlier agent is read once: acks and stream survive the upgrade, then only state.bin remains', async () => {
  const dir = tempDir();
  try {
    const stream = await threeBatchesFirstAcked(dir);
    let spool: Spool;
    // What an earlier agent left behind: the same state as JSON, no slot file.
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 1, streamId: stream, reservedThrough: 999, ackedThrough: 0, skipped: [], counters: { droppedSamples: 7, droppedBatches: 1, rejectedItems: 0, deadLetterBatches: 0, corruptRecords: 0 } }));
    rmSync(join(dir, 'state.bin'));
    const o = opts(dir);
    spool = await Spool.open(o);
    assert.equal(spool.streamId, stream);
    assert.deepEqual(spool.pending().map((p) => p.seq), [1, 2]);
    assert.equal(spool.stats().droppedSamples, 7);
    assert.ok(!o.log.events.some((e) => e.level === 'error'));
    assert.ok(existsSync(join(dir, 'state.bin')) && !existsSync(join(dir, 'state.json')));
    await spool.close();
    spool = await Spool.open(opts(dir));
    assert.equal(spool.streamId, stream);
    assert.deepEqual(spool.pending().map((p) => p.seq), [1, 2]);
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable state file is reported and every batch on disk is replayed', async () => {
  const dir = tempDir();
  try {
    const oldStream = await threeBatchesFirstAcked(dir);
    writeFileSync(join(dir, 'state.bin'), 'garbage of the right kind of length, but no slot file');
    const o = opts(dir);
    const spool = await Spool.open(o);
    assert.deepEqual(spool.pending().map((p) => p.seq), [0, 1, 2]);
    assert.ok(o.log.events.some((e) => e.level === 'error' && /state file/.test(e.msg)));
    // A new key space: batch 0 was acked under the old stream id, so its seq may come back only under a new id.
    assert.notEqual(spool.streamId, oldStream);
    assert.deepEqual(await spool.append({ body: body(3), samples: 1, items: 1 }, T0), { stored: true, seq: 3 });
    await spool.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sync policy: batches delivered within the delay are never synced; pending ones are, once per delay; rotation and close sync what is pending', async () => {
  const dir = tempDir();
  try {
    const syncs: number[] = [];
    // A delay long enough that a loaded machine still appends three batches within it.
    const spool = await Spool.open(opts(dir, { syncDelayMs: 300, syncFile: (fd) => syncs.push(fd), segmentBytes: 4096 }));
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Delivered at once (the normal case): the ack cancels the timer, nothing is synced.
    await spool.append({ body: body(0), samples: 1, items: 1 }, T0);
    assert.ok(spool.syncScheduled());
    assert.deepEqual(await drain(spool), [0]);
    assert.ok(!spool.syncScheduled(), 'the ack cancels the pending sync');
    await wait(700);
    assert.equal(syncs.length, 0);
    // Server away: three batches pile up within one delay and are synced together, once.
    for (let i = 1; i <= 3; i++) await spool.append({ body: body(i), samples: 1, items: 1 }, T0);
    assert.equal(syncs.length, 0);
    await wait(700);
    assert.equal(syncs.length, 1);
    await wait(700);
    assert.equal(syncs.length, 1, 'nothing new was written');
    // A rotation syncs the pending tail of the old file before closing it.
    await spool.append({ body: body(4, 5000), samples: 1, items: 1 }, T0);
    await spool.append({ body: body(5, 5000), samples: 1, items: 1 }, T0);
    assert.equal(syncs.length, 2);
    await spool.close();
    assert.equal(syncs.length, 3, 'close syncs what is pending');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sync policy: delay 0 syncs every batch before append resolves; fsync off never syncs', async () => {
  for (const [extra, expected] of [[{ syncDelayMs: 0 }, 3], [{ fsync: false, syncDelayMs: 0 }, 0], [{ fsync: false, syncDelayMs: 10 }, 0]] as const) {
    const dir = tempDir();
    try {
      const syncs: number[] = [];
      const spool = await Spool.open(opts(dir, { ...extra, syncFile: (fd) => syncs.push(fd) }));
      for (let i = 0; i < 3; i++) await spool.append({ body: body(i), samples: 1, items: 1 }, T0);
      assert.equal(syncs.length, expected, JSON.stringify(extra));
      await new Promise((r) => setTimeout(r, 30));
      await spool.close();
      assert.equal(syncs.length, expected, JSON.stringify(extra));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
