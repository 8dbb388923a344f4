// Reliability T28a: model-based test of the agent spool. Random command sequences (append, send
// and ack or reject, send and retry, send while the spool overflows, time passing, crash and
// restart, on-disk corruption) run against the real spool on a real directory and against an
// in-memory model. After every command the two are reconciled: the spool's pending batches must
// be the model's in the same order, and every batch that vanished must be explained exactly by
// the drop policy (oldest first, counted sample by sample) or by a corruption the test injected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { memoryLogger } from '../testing/fixture-host.js';
import { Spool, type SpoolOptions, type SpoolStats } from './spool.js';
import { FRAME_HEADER_BYTES, RECORD_META_BYTES, scanSegment } from './spool-record.js';

const MAX_BYTES = 16 * 1024;
const MAX_AGE_MS = 60_000;

interface Pending {
  seq: number;
  samples: number;
  items: number;
  createdAt: number;
}

interface Model {
  pending: Pending[];
  /** Seqs whose record the test damaged on disk; they must disappear as corruptions. */
  corrupted: Set<number>;
  now: number;
  counters: SpoolStats;
  maxSeq: number;
  stream: string;
}

interface Real {
  dir: string;
  spool: Spool;
  /** Every instance ever opened (abandoned ones simulate crashed processes); closed at the end. */
  all: Spool[];
}

function spoolOptions(dir: string): SpoolOptions {
  return { dir, maxBytes: MAX_BYTES, maxAgeMs: MAX_AGE_MS, segmentBytes: 2048, log: memoryLogger() };
}

/** Restarts the spool without closing the old instance, as after `kill -9`. */
async function crash(r: Real): Promise<void> {
  r.spool = await Spool.open(spoolOptions(r.dir));
  r.all.push(r.spool);
}

/**
 * Checks the real spool against the model and adopts its state. `ageAt`: time of the last age
 * check. `inFlight`: a batch that was being sent when the agent crashed; the drop policy had to
 * keep it (and its segment file) although newer batches were dropped.
 */
function reconcile(m: Model, r: Real, ageAt: number | null, inFlight: number | null = null): void {
  const real = r.spool.pending();
  const stats = r.spool.stats();
  const removed: Pending[] = [];
  let j = 0;
  for (const p of m.pending) {
    const x = real[j];
    if (x && x.seq === p.seq) {
      assert.deepEqual(x, p, 'a pending batch changed');
      j++;
    } else removed.push(p);
  }
  assert.equal(j, real.length, `spool has batches the model does not: ${JSON.stringify(real.slice(j))}`);
  const corrupt = removed.filter((p) => m.corrupted.has(p.seq));
  const dropped = removed.filter((p) => !m.corrupted.has(p.seq));
  assert.equal(stats.corruptRecords - m.counters.corruptRecords, corrupt.length, 'every injected corruption is counted once');
  assert.equal(stats.droppedSamples - m.counters.droppedSamples, dropped.reduce((a, p) => a + p.samples, 0), 'dropped samples are counted exactly');
  assert.equal(stats.droppedBatches - m.counters.droppedBatches, dropped.length + corrupt.length);
  for (const d of dropped) for (const k of real) assert.ok(d.seq < k.seq || k.seq === inFlight, `dropped ${d.seq} is newer than kept ${k.seq}`);
  if (ageAt !== null) for (const k of real) assert.ok(k.createdAt >= ageAt - MAX_AGE_MS, `batch ${k.seq} is older than the age limit`);
  if (inFlight === null) assert.ok(stats.diskBytes <= MAX_BYTES, `disk ${stats.diskBytes} > ${MAX_BYTES}`);
  assert.equal(stats.pendingBatches, real.length);
  for (const c of corrupt) m.corrupted.delete(c.seq);
  m.pending = real;
  m.counters = stats;
}

class AppendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly samples: number,
    readonly bodyLen: number,
    readonly dt: number,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    m.now += this.dt;
    const res = await r.spool.append({ body: Buffer.alloc(this.bodyLen, 0x62), samples: this.samples, items: 1 }, m.now);
    assert.ok(res.stored);
    assert.ok(res.seq > m.maxSeq, 'seqs only grow, across restarts too');
    m.maxSeq = res.seq;
    m.pending.push({ seq: res.seq, samples: this.samples, items: 1, createdAt: m.now });
    reconcile(m, r, m.now);
  }
  toString(): string {
    return `append(${this.samples} samples, ${this.bodyLen} B, +${this.dt} ms)`;
  }
}

class SendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly answer: 'delivered' | 'partial' | 'rejected' | 'retry') {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    const rec = await r.spool.peek();
    const head = m.pending[0];
    if (!head) {
      assert.equal(rec, null);
      return;
    }
    assert.equal(rec?.seq, head.seq, 'batches are handed out strictly in order');
    assert.equal(rec?.body.length, rec?.body.filter((b) => b === 0x62).length, 'the body is intact');
    if (this.answer === 'retry') await r.spool.release(head.seq);
    else {
      const outcome = this.answer === 'delivered' ? ({ kind: 'delivered' } as const) : ({ kind: 'rejected', items: 1, wholeBatch: this.answer === 'rejected' } as const);
      await r.spool.ack(head.seq, outcome);
      m.pending.shift();
      if (outcome.kind === 'rejected') {
        m.counters.rejectedItems++;
        if (outcome.wholeBatch) m.counters.deadLetterBatches++;
      }
    }
    reconcile(m, r, null);
    assert.equal(r.spool.stats().rejectedItems, m.counters.rejectedItems);
    assert.equal(r.spool.stats().deadLetterBatches, m.counters.deadLetterBatches);
  }
  toString(): string {
    return `send → ${this.answer}`;
  }
}

/** A send stays in flight while the spool overflows; then it succeeds, fails, or the agent dies. */
class SendDuringOverflowCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly appends: number,
    readonly end: 'delivered' | 'retry' | 'crash',
  ) {}
  check(m: Model): boolean {
    return m.pending.length > 0;
  }
  async run(m: Model, r: Real): Promise<void> {
    const rec = await r.spool.peek();
    const head = m.pending[0] as Pending;
    assert.equal(rec?.seq, head.seq);
    for (let i = 0; i < this.appends; i++) {
      const res = await r.spool.append({ body: Buffer.alloc(1000, 0x62), samples: 3, items: 1 }, m.now);
      assert.ok(res.stored);
      m.maxSeq = res.seq;
      m.pending.push({ seq: res.seq, samples: 3, items: 1, createdAt: m.now });
    }
    assert.equal(r.spool.pending()[0]?.seq, head.seq, 'the batch in flight is still first');
    if (this.end === 'delivered') {
      await r.spool.ack(head.seq, { kind: 'delivered' });
      m.pending.shift();
    } else if (this.end === 'retry') await r.spool.release(head.seq);
    else await crash(r);
    // Its segment was kept while in flight, so disk use may exceed the bound until the send ends.
    if (this.end !== 'crash') reconcile(m, r, null);
    else {
      assert.equal(r.spool.pending()[0]?.seq, head.seq, 'after a crash the batch that was in flight comes back');
      reconcile(m, r, null, head.seq);
    }
  }
  toString(): string {
    return `send while ${this.appends} appends overflow → ${this.end}`;
  }
}

class AdvanceCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly dt: number) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    m.now += this.dt;
    await r.spool.prune(m.now);
    reconcile(m, r, m.now);
  }
  toString(): string {
    return `advance ${this.dt} ms`;
  }
}

class CrashCommand implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    await crash(r);
    assert.equal(r.spool.streamId, m.stream, 'the key space survives a restart');
    reconcile(m, r, null);
  }
  toString(): string {
    return 'crash + restart';
  }
}

class CorruptCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check(m: Model): boolean {
    return m.pending.length > 0;
  }
  async run(m: Model, r: Real): Promise<void> {
    const victim = m.pending[this.pick % m.pending.length] as Pending;
    let found = false;
    for (const name of readdirSync(r.dir).filter((n) => n.endsWith('.vgs'))) {
      const path = join(r.dir, name);
      const buf = readFileSync(path);
      const rec = scanSegment(buf).records.find((x) => x.record.seq === victim.seq);
      if (!rec) continue;
      const at = rec.offset + FRAME_HEADER_BYTES + RECORD_META_BYTES;
      buf[at] = (buf[at] as number) ^ 0xff;
      writeFileSync(path, buf);
      found = true;
    }
    assert.ok(found, `record ${victim.seq} is on disk`);
    m.corrupted.add(victim.seq);
    await crash(r);
    reconcile(m, r, null);
  }
  toString(): string {
    return `corrupt pending #${this.pick} + restart`;
  }
}

const commands = [
  fc.tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 10, max: 1500 }), fc.integer({ min: 0, max: 5000 })).map(([s, b, d]) => new AppendCommand(s, b, d)),
  fc.constantFrom('delivered', 'partial', 'rejected', 'retry' as const).map((a) => new SendCommand(a)),
  fc.tuple(fc.integer({ min: 1, max: 30 }), fc.constantFrom('delivered', 'retry', 'crash' as const)).map(([n, e]) => new SendDuringOverflowCommand(n, e)),
  fc.integer({ min: 0, max: 2 * MAX_AGE_MS }).map((d) => new AdvanceCommand(d)),
  fc.constant(new CrashCommand()),
  fc.nat().map((p) => new CorruptCommand(p)),
];

test('T28a: the spool matches its model under random appends, sends, overflow, time, crashes and corruption', async () => {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 60 }), async (cmds) => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-spool-model-'));
      const spool = await Spool.open(spoolOptions(dir));
      const real: Real = { dir, spool, all: [spool] };
      const model: Model = { pending: [], corrupted: new Set(), now: 1_800_000_000_000, counters: spool.stats(), maxSeq: -1, stream: spool.streamId };
      try {
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      } finally {
        for (const s of real.all) await s.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    // More runs for a soak: VIGIL_FC_RUNS=20000 node scripts/run-tests.mjs unit spool-model
    { numRuns: Number(process.env.VIGIL_FC_RUNS ?? 150) },
  );
});
