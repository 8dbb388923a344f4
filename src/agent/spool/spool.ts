import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../../options/command.js';
import { LogThrottle } from '../log-throttle.js';
import { decodeRecord, encodeRecord, scanSegment, type SpoolRecordData } from './spool-record.js';
import { StateSlots } from './state-slots.js';

/** Options of {@link Spool.open}. */
export interface SpoolOptions {
  /** Directory of the segment files and `state.bin` (created when missing). */
  dir: string;
  /** Bound on the bytes of all segment files; the oldest batches are dropped beyond it. */
  maxBytes: number;
  /** Batches older than this (ms since collection) are dropped. */
  maxAgeMs: number;
  /** Target size of one segment file in bytes; default maxBytes/32 clamped to 64 KiB … 8 MiB. */
  segmentBytes?: number;
  /** fdatasync batches that are not delivered soon (see `syncDelayMs`); default true. */
  fsync?: boolean;
  /**
   * A batch still pending this long after it was written is fdatasynced, with every batch written
   * before it; batches delivered sooner are never synced. 0 syncs each batch before `append`
   * resolves. In ms; default {@link DEFAULT_SYNC_DELAY_MS}.
   */
  syncDelayMs?: number;
  /** The sync call (tests count it); default `fdatasyncSync`. */
  syncFile?: (fd: number) => void;
  /**
   * Bytes of the shared budget held by a higher-priority spool (the security lane), read at each
   * append: this spool drops its own oldest batches to stay under `maxBytes - reservedBytes()`,
   * so the other lane's data is never what gives way. Default 0.
   */
  reservedBytes?: () => number;
  log: Logger;
}

/** Monotonic counters, persisted so they survive restarts ("since the agent first started"). */
export interface SpoolCounters {
  /** Samples of batches dropped by the size or age limit, or lost to a damaged record whose size was known. */
  droppedSamples: number;
  /** Batches dropped by the limits, failed writes, or damaged records. */
  droppedBatches: number;
  /** Items the server rejected for good (4xx), as reported through `ack`. */
  rejectedItems: number;
  /** Batches the server refused as a whole (400/413/415 …), removed without retry. */
  deadLetterBatches: number;
  /** Damaged records detected (each torn or corrupt region counts once). */
  corruptRecords: number;
}

/** Current figures of the spool. */
export interface SpoolStats extends SpoolCounters {
  /** Bytes of batches waiting to be delivered. */
  pendingBytes: number;
  /** Batches waiting to be delivered. */
  pendingBatches: number;
  /** Bytes of all segment files on disk (what the size limit bounds). */
  diskBytes: number;
}

/** What to record when a batch leaves the spool after an answer. */
export type AckOutcome = { kind: 'delivered' } | { kind: 'rejected'; items: number; wholeBatch: boolean };

/** Result of {@link Spool.append}. */
export type AppendResult = { stored: true; seq: number } | { stored: false; reason: 'too_large' | 'write_failed' };

interface Segment {
  path: string;
  bytes: number;
  /** Entries of the queue that live in this file. */
  live: number;
  /** File descriptors (plain fds and sync calls: the hot path stays off the thread pool). */
  writer: number | null;
  reader: number | null;
}

interface Entry {
  seq: number;
  createdAt: number;
  samples: number;
  items: number;
  size: number;
  offset: number;
  segment: Segment;
  /** Body kept in memory for recent batches (saves a read on the common append-then-send path). */
  body: Buffer | null;
  /** Dropped by a limit while a send was in flight: removed as dropped unless that send succeeds. */
  pendingDrop: boolean;
}

interface PersistedState {
  version: 1;
  /** Random id of this spool's sequence space (new when the state is lost, so keys never repeat). */
  streamId: string;
  /** Seqs up to this one may have been handed out; a restart continues above it. */
  reservedThrough: number;
  /** Every seq ≤ this is done (delivered, rejected, dropped or lost). */
  ackedThrough: number;
  /** Done seq ranges beyond `ackedThrough` (batches dropped behind an in-flight one). */
  skipped: [number, number][];
  counters: SpoolCounters;
}

/** Default of {@link SpoolOptions.syncDelayMs}: the power-loss window of undelivered batches, in ms. */
export const DEFAULT_SYNC_DELAY_MS = 500;
const SEGMENT_RE = /^seg-(\d{16})\.vgs$/;
/** The ack cursor and counters (two alternating slots, see state-slots.ts). */
const STATE_FILE = 'state.bin';
/** Where earlier agents kept the state (JSON replaced by rename); read once when upgrading. */
const LEGACY_STATE_FILE = 'state.json';
/** Seqs reserved per state write; a restart skips the unused rest of the block. */
const SEQ_BLOCK = 1000;
/** Recent batches whose bodies stay in memory. */
const BODY_CACHE = 8;

/**
 * The agent's bounded on-disk buffer (DESIGN.md §4). Every collected batch is appended here
 * before it is sent; batches are handed out strictly in order (`peek`) and leave only through
 * `ack` (after a 2xx or a permanent 4xx) or the drop policy.
 *
 * - Format: segment files of framed records (`magic | length | CRC-32 | payload`, see
 *   `spool-record.ts`), written append-only; a new segment starts at `segmentBytes` and at every
 *   start of the agent.
 * - Durability: `fdatasync` after every appended batch (and of the directory when a segment is
 *   created), so a batch is on disk before the collector moves on; `state.bin` (the ack cursor
 *   and counters) is written in place to one of two alternating CRC-checked slots
 *   (`state-slots.ts`) and not fsynced: after a power loss the last acks may be forgotten and
 *   those batches are sent again, which the server's idempotency makes harmless.
 * - Drop policy: when the files would exceed `maxBytes`, the oldest segment's batches are dropped
 *   (whole segments: the unit the disk space is freed in); batches older than `maxAgeMs` are
 *   dropped one by one. Every dropped sample is counted exactly (`droppedSamples`).
 * - Damage: at open every segment is scanned; a torn or corrupt region is counted once, logged,
 *   skipped, and the file is rewritten without it, so it is never counted twice. A record that
 *   fails its CRC when read later is counted and skipped the same way.
 *
 * All methods are serialised internally; the collector and the shipper may call concurrently.
 * The per-batch file operations are synchronous system calls: a few small writes per second cost
 * far less CPU that way than through the thread pool, and the agent has no latency-critical work
 * that a short fdatasync could delay.
 */
export class Spool {
  private readonly queue: Entry[] = [];
  private head = 0;
  private readonly segments: Segment[] = [];
  private active: Segment | null = null;
  private leased: Entry | null = null;
  private ackedThrough = -1;
  private skipped: [number, number][] = [];
  private nextSeq = 0;
  private reservedThrough = -1;
  private stream = '';
  private pendingBytes = 0;
  private diskBytes = 0;
  private counters: SpoolCounters = { droppedSamples: 0, droppedBatches: 0, rejectedItems: 0, deadLetterBatches: 0, corruptRecords: 0 };
  private chain: Promise<unknown> = Promise.resolve();
  private readonly throttle = new LogThrottle();
  private closed = false;
  private readonly segmentBytes: number;
  private readonly fsync: boolean;
  private readonly syncDelayMs: number;
  private readonly syncFile: (fd: number) => void;
  /** Highest seq written to a segment, and highest known durable (synced, or delivered before a sync was due). */
  private writtenThrough = -1;
  private syncedThrough = -1;
  private syncTimer: NodeJS.Timeout | null = null;
  private slots: StateSlots | null = null;
  /** The state was read from a legacy state.json, removed once the slot file holds it. */
  private legacyState = false;

  private constructor(private readonly opts: SpoolOptions) {
    this.segmentBytes = opts.segmentBytes ?? Math.min(8 * 1024 * 1024, Math.max(64 * 1024, Math.floor(opts.maxBytes / 32)));
    this.fsync = opts.fsync ?? true;
    this.syncDelayMs = opts.syncDelayMs ?? DEFAULT_SYNC_DELAY_MS;
    this.syncFile = opts.syncFile ?? fdatasyncSync;
  }

  /** Opens (or creates) the spool in `opts.dir`, recovering pending batches and skipping damage. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    const spool = new Spool(opts);
    await spool.recover();
    return spool;
  }

  /** Current figures (synchronous: the agent reads them for every batch). */
  stats(): SpoolStats {
    const c = this.counters;
    // Spelled out rather than spread: it runs several times per tick, mostly in the interpreter.
    return {
      droppedSamples: c.droppedSamples,
      droppedBatches: c.droppedBatches,
      rejectedItems: c.rejectedItems,
      deadLetterBatches: c.deadLetterBatches,
      corruptRecords: c.corruptRecords,
      pendingBytes: this.pendingBytes,
      pendingBatches: this.queue.length - this.head,
      diskBytes: this.diskBytes,
    };
  }

  /**
   * Random id of this spool's sequence space. With a batch's seq it forms a key that is unique
   * per batch and stable across retries and restarts (the Idempotency-Key of the shipper). Seqs are
   * reserved in blocks persisted before use, so even a torn last record never lets a seq repeat;
   * if the state file is lost, a new stream id starts a fresh key space.
   */
  get streamId(): string {
    return this.stream;
  }

  /** Whether a delayed sync is waiting (diagnostics and tests). */
  syncScheduled(): boolean {
    return this.syncTimer !== null;
  }

  /** The pending batches, oldest first (without bodies), for diagnostics and tests. */
  pending(): { seq: number; createdAt: number; samples: number; items: number }[] {
    return this.queue.slice(this.head).map((e) => ({ seq: e.seq, createdAt: e.createdAt, samples: e.samples, items: e.items }));
  }

  /**
   * Appends a batch collected at `now` (ms), after applying the age limit and making room under
   * the size limit. Resolves once the batch is on disk (fdatasync). A batch larger than the whole
   * spool, or one that cannot be written (disk full, I/O error), is dropped and counted.
   */
  append(batch: { body: Buffer; samples: number; items: number }, now: number): Promise<AppendResult> {
    return this.serial(async () => {
      this.assertOpen();
      await this.pruneAge(now);
      const seq = this.nextSeq++;
      if (seq > this.reservedThrough) {
        this.reservedThrough = seq + SEQ_BLOCK - 1;
        await this.writeState();
      }
      const frame = encodeRecord({ seq, createdAt: now, samples: batch.samples, items: batch.items, body: batch.body });
      if (frame.length > this.opts.maxBytes) {
        this.countDropped(batch.samples, 1);
        this.opts.log.error('batch larger than the whole spool was dropped', { bytes: frame.length, spoolMaxBytes: this.opts.maxBytes, samples: batch.samples });
        await this.afterRemoval();
        return { stored: false, reason: 'too_large' };
      }
      await this.makeRoom(frame.length);
      if (!this.active || (this.active.bytes > 0 && this.active.bytes + frame.length > this.segmentBytes)) await this.rotate(seq);
      const seg = this.active as Segment;
      try {
        writeAll(seg.writer as number, frame);
        if (this.fsync && this.syncDelayMs === 0) this.syncFile(seg.writer as number);
      } catch (err) {
        this.abandonActive(seg);
        this.countDropped(batch.samples, 1);
        this.opts.log.error('cannot write to the spool; the batch was dropped', { error: err, samples: batch.samples, dir: this.opts.dir });
        await this.afterRemoval();
        return { stored: false, reason: 'write_failed' };
      }
      const entry: Entry = { seq, createdAt: now, samples: batch.samples, items: batch.items, size: frame.length, offset: seg.bytes, segment: seg, body: batch.body, pendingDrop: false };
      seg.bytes += frame.length;
      seg.live++;
      this.writtenThrough = seq;
      if (this.fsync && this.syncDelayMs === 0) this.syncedThrough = seq;
      else this.scheduleSync();
      this.diskBytes += frame.length;
      this.pendingBytes += frame.length;
      this.queue.push(entry);
      const old = this.queue[this.queue.length - 1 - BODY_CACHE];
      if (old && old !== this.leased) old.body = null;
      return { stored: true, seq };
    });
  }

  /**
   * The oldest pending batch, or null when there is none. The batch is leased to the caller
   * until `ack` or `release`: the drop policy never deletes its file while it is in flight.
   */
  peek(): Promise<SpoolRecordData | null> {
    return this.serial(async () => {
      this.assertOpen();
      while (this.head < this.queue.length) {
        const e = this.queue[this.head] as Entry;
        const body = e.body ?? (await this.readBody(e));
        if (body === null) {
          // Damaged after it was written (bit rot, a truncated file): its size is known from the index.
          this.counters.corruptRecords++;
          this.opts.log.error('damaged batch in the spool was skipped', { seq: e.seq, samples: e.samples, segment: e.segment.path });
          this.removeHead(e, 'dropped');
          await this.afterRemoval();
          continue;
        }
        this.leased = e;
        e.body = body;
        return { seq: e.seq, createdAt: e.createdAt, samples: e.samples, items: e.items, body };
      }
      return null;
    });
  }

  /** Removes the leased batch `seq` after a final answer (2xx, or a 4xx that must not be retried). */
  ack(seq: number, outcome: AckOutcome): Promise<void> {
    return this.serial(async () => {
      this.assertOpen();
      const e = this.queue[this.head];
      if (!e || e.seq !== seq) {
        this.opts.log.warn('ack for a batch that is not the oldest pending one was ignored', { seq, oldest: e?.seq ?? null });
        return;
      }
      if (outcome.kind === 'rejected') {
        this.counters.rejectedItems += outcome.items;
        if (outcome.wholeBatch) this.counters.deadLetterBatches++;
      }
      this.removeHead(e, 'done');
      await this.afterRemoval();
    });
  }

  /** Ends the lease of `seq` without removing it (the send will be retried). */
  release(seq: number): Promise<void> {
    return this.serial(async () => {
      const e = this.leased;
      if (!e || e.seq !== seq) return;
      this.leased = null;
      if (e.pendingDrop) {
        this.removeHead(e, 'dropped');
        await this.afterRemoval();
      }
    });
  }

  /** Applies the age limit at `now` (also done by every `append`). */
  prune(now: number): Promise<void> {
    return this.serial(async () => {
      this.assertOpen();
      await this.pruneAge(now);
    });
  }

  /** Persists the state and closes every file. Later calls other than `stats` fail. */
  close(): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      this.syncPending();
      await this.writeState();
      this.closed = true;
      if (this.syncTimer) clearTimeout(this.syncTimer);
      this.slots?.close();
      for (const s of this.segments) closeSegmentFiles(s);
    });
  }

  // ---- internals -------------------------------------------------------------------------

  /**
   * Why not fdatasync every batch: at a 1 s interval the sync was a fifth of the agent's CPU, and
   * almost every batch is delivered (and needs no local copy any more) within milliseconds. Only
   * what is still pending after `syncDelayMs` (a server outage, a slow answer) is synced, so a
   * power loss can cost at most that window of undelivered batches. An agent crash costs nothing:
   * written data is in the page cache either way.
   */
  private scheduleSync(): void {
    if (!this.fsync || this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      void this.serial(async () => {
        if (!this.closed) this.syncPending();
      }).catch((err: unknown) => this.opts.log.error('cannot sync the spool', { error: err, dir: this.opts.dir }));
    }, this.syncDelayMs);
    this.syncTimer.unref();
  }

  /** True when every batch written since the spool opened has left it (delivered or dropped). */
  private allWrittenGone(): boolean {
    const first = this.queue[this.head];
    return !first || first.seq > this.writtenThrough;
  }

  /**
   * Everything written was delivered before its sync was due (the normal case): drop the timer,
   * which would otherwise wake the event loop once per batch for nothing.
   */
  private cancelSyncIfDelivered(): void {
    if (!this.syncTimer || !this.allWrittenGone()) return;
    clearTimeout(this.syncTimer);
    this.syncTimer = null;
    this.syncedThrough = this.writtenThrough;
  }

  /** fdatasyncs the active segment when batches written since the last sync are still pending. */
  private syncPending(): void {
    if (!this.fsync || this.syncedThrough >= this.writtenThrough) return;
    // When everything written was delivered (or dropped), nothing is left that a sync would protect.
    if (!this.allWrittenGone() && this.active?.writer != null) this.syncFile(this.active.writer);
    this.syncedThrough = this.writtenThrough;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('spool is closed');
  }

  private async recover(): Promise<void> {
    await mkdir(this.opts.dir, { recursive: true });
    await this.readState();
    const names = (await readdir(this.opts.dir)).sort();
    let maxSeq = Math.max(this.ackedThrough, this.reservedThrough, ...this.skipped.map((r) => r[1]));
    // Seqs only grow, so a record whose seq does not exceed the previous one cannot be trusted.
    let lastSeq = -1;
    for (const name of names) {
      if (name.endsWith('.tmp')) await rm(join(this.opts.dir, name), { force: true });
      if (!SEGMENT_RE.test(name)) continue;
      const path = join(this.opts.dir, name);
      const buf = await readFile(path);
      const scan = scanSegment(buf);
      for (const d of scan.damaged) {
        this.counters.corruptRecords++;
        this.counters.droppedBatches++;
        this.opts.log.error('damaged region in a spool segment was skipped', { segment: name, offset: d.start, bytes: d.end - d.start, reason: d.reason });
      }
      const keep = scan.records.filter(({ record }) => {
        if (record.seq <= lastSeq) return false;
        lastSeq = record.seq;
        return !this.isDone(record.seq);
      });
      maxSeq = Math.max(maxSeq, lastSeq);
      if (keep.length === 0) {
        await rm(path, { force: true });
        continue;
      }
      let bytes = buf.length;
      let offsets = keep.map((k) => k.offset);
      if (scan.damaged.length > 0) {
        // Rewrite without the damage so it is neither counted nor scanned again next start.
        const parts = keep.map((k) => buf.subarray(k.offset, k.offset + k.size));
        await this.replaceFile(path, Buffer.concat(parts));
        offsets = [];
        bytes = 0;
        for (const p of parts) {
          offsets.push(bytes);
          bytes += p.length;
        }
      }
      const seg: Segment = { path, bytes, live: keep.length, writer: null, reader: null };
      this.segments.push(seg);
      this.diskBytes += bytes;
      keep.forEach(({ record, size }, i) => {
        this.queue.push({ seq: record.seq, createdAt: record.createdAt, samples: record.samples, items: record.items, size, offset: offsets[i] as number, segment: seg, body: null, pendingDrop: false });
        this.pendingBytes += size;
      });
    }
    this.nextSeq = maxSeq + 1;
    this.reservedThrough = this.nextSeq + SEQ_BLOCK - 1;
    this.stream ||= randomBytes(8).toString('hex');
    this.updateCursor();
    await this.writeState();
    if (this.queue.length > 0) this.opts.log.info('spool recovered pending batches', { batches: this.queue.length, bytes: this.pendingBytes });
  }

  private isDone(seq: number): boolean {
    return seq <= this.ackedThrough || this.skipped.some(([a, b]) => seq >= a && seq <= b);
  }

  private async readState(): Promise<void> {
    const opened = StateSlots.open(join(this.opts.dir, STATE_FILE));
    this.slots = opened.slots;
    let text = opened.payload;
    if (text === null && !opened.damaged) {
      // Earlier agents kept the state in state.json (replaced by rename); it is read once and
      // removed after the first write of the slot file.
      try {
        text = await readFile(join(this.opts.dir, LEGACY_STATE_FILE), 'utf8');
        this.legacyState = true;
      } catch {
        return;
      }
    }
    try {
      if (text === null) throw new Error('no intact copy');
      const s = JSON.parse(text) as PersistedState;
      if (s.version !== 1 || !Number.isSafeInteger(s.ackedThrough) || !Number.isSafeInteger(s.reservedThrough) || !/^[0-9a-f]{16}$/.test(s.streamId)) {
        throw new Error('unknown layout');
      }
      this.ackedThrough = s.ackedThrough;
      this.reservedThrough = s.reservedThrough;
      this.stream = s.streamId;
      this.skipped = Array.isArray(s.skipped) ? s.skipped.filter((r) => Array.isArray(r) && r.every(Number.isSafeInteger)) : [];
      for (const k of Object.keys(this.counters) as (keyof SpoolCounters)[]) {
        const v = s.counters?.[k];
        if (Number.isSafeInteger(v) && v >= 0) this.counters[k] = v;
      }
    } catch (err) {
      // Without the cursor every batch on disk is sent again; the server deduplicates them.
      this.opts.log.error('spool state file is unreadable; pending batches will be re-sent', { error: err });
    }
  }

  private async writeState(): Promise<void> {
    const state: PersistedState = { version: 1, streamId: this.stream, reservedThrough: this.reservedThrough, ackedThrough: this.ackedThrough, skipped: this.skipped, counters: this.counters };
    (this.slots as StateSlots).write(JSON.stringify(state));
    if (this.legacyState) {
      rmSync(join(this.opts.dir, LEGACY_STATE_FILE), { force: true });
      this.legacyState = false;
    }
  }

  private async replaceFile(path: string, data: Buffer): Promise<void> {
    const fd = openSync(`${path}.tmp`, 'w');
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(`${path}.tmp`, path);
    this.syncDir();
  }

  private syncDir(): void {
    if (!this.fsync || process.platform === 'win32') return;
    const fd = openSync(this.opts.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private async rotate(firstSeq: number): Promise<void> {
    if (this.active) {
      // Batches of the old file not yet synced are synced before its descriptor goes.
      this.syncPending();
      const old = this.active;
      this.active = null;
      if (old.writer !== null) closeSync(old.writer);
      old.writer = null;
    }
    const path = join(this.opts.dir, `seg-${String(firstSeq).padStart(16, '0')}.vgs`);
    const seg: Segment = { path, bytes: 0, live: 0, writer: openSync(path, 'a'), reader: null };
    this.segments.push(seg);
    this.active = seg;
    this.syncDir();
    await this.deleteFinishedSegments();
  }

  /** After a failed write: cut the file back to its last good size, or stop using it. */
  private abandonActive(seg: Segment): void {
    try {
      ftruncateSync(seg.writer as number, seg.bytes);
    } catch {
      // The file may now end in a torn record; the next start's scan skips and counts it.
    }
    closeSegmentFiles(seg);
    this.active = null;
  }

  private async makeRoom(incoming: number): Promise<void> {
    let droppedBatches = 0;
    let droppedSamples = 0;
    const limit = this.opts.maxBytes - (this.opts.reservedBytes?.() ?? 0);
    while (this.diskBytes + incoming > limit) {
      const seg = this.segments.find((s) => !(this.leased?.segment === s && s.live === 1));
      // The batch in flight is the oldest: it goes too unless the send succeeds (its file stays until then).
      if (this.leased && seg !== this.leased.segment) this.leased.pendingDrop = true;
      if (!seg) break;
      if (seg === this.active) {
        this.active = null;
        if (seg.writer !== null) closeSync(seg.writer);
        seg.writer = null;
      }
      const before = this.counters.droppedSamples;
      droppedBatches += this.dropRun((e) => e.segment === seg);
      droppedSamples += this.counters.droppedSamples - before;
      await this.deleteFinishedSegments();
    }
    if (droppedBatches > 0) {
      this.opts.log.warn('spool full: dropped the oldest batches', { batches: droppedBatches, samples: droppedSamples, spoolMaxBytes: this.opts.maxBytes });
      await this.afterRemoval();
    }
  }

  private async pruneAge(now: number): Promise<void> {
    const limit = now - this.opts.maxAgeMs;
    const before = this.counters.droppedSamples;
    const n = this.dropRun((e) => e.createdAt < limit);
    if (n === 0) return;
    const skipped = this.throttle.check('age', now);
    if (skipped !== null) {
      this.opts.log.warn('spool: dropped batches older than the age limit', { batches: n, samples: this.counters.droppedSamples - before, spoolMaxAgeMs: this.opts.maxAgeMs, similarEventsSinceLastLog: skipped });
    }
    await this.afterRemoval();
  }

  /**
   * Drops the run of oldest entries matching `match`. A leased entry stays in place, marked to be
   * dropped unless its send succeeds; entries behind it are recorded as a skipped seq range.
   * Returns the number of entries dropped now.
   */
  private dropRun(match: (e: Entry) => boolean): number {
    let i = this.head;
    const lease = this.leased && this.queue[i] === this.leased ? this.leased : null;
    if (lease) {
      if (match(lease)) lease.pendingDrop = true;
      i++;
    }
    let j = i;
    while (j < this.queue.length && match(this.queue[j] as Entry)) {
      const e = this.queue[j] as Entry;
      this.countDropped(e.samples, 1);
      this.forget(e);
      j++;
    }
    if (j === i) return 0;
    if (lease) {
      const from = (this.queue[i] as Entry).seq;
      const to = (this.queue[j - 1] as Entry).seq;
      const last = this.skipped[this.skipped.length - 1];
      // Drops behind one lease are contiguous; merging keeps the persisted state small.
      if (last && last[1] + 1 === from) last[1] = to;
      else this.skipped.push([from, to]);
      this.queue[j - 1] = lease;
      this.head = j - 1;
    } else this.head = j;
    return j - i;
  }

  private removeHead(e: Entry, how: 'done' | 'dropped'): void {
    if (how === 'dropped') this.countDropped(e.samples, 1);
    if (this.leased === e) this.leased = null;
    this.forget(e);
    this.head++;
  }

  private forget(e: Entry): void {
    this.pendingBytes -= e.size;
    e.segment.live--;
    e.body = null;
  }

  private countDropped(samples: number, batches: number): void {
    this.counters.droppedSamples += samples;
    this.counters.droppedBatches += batches;
  }

  private updateCursor(): void {
    const first = this.queue[this.head];
    this.ackedThrough = first ? first.seq - 1 : this.nextSeq - 1;
    this.skipped = this.skipped.filter(([, to]) => to > this.ackedThrough);
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private async afterRemoval(): Promise<void> {
    this.updateCursor();
    this.cancelSyncIfDelivered();
    await this.deleteFinishedSegments();
    await this.writeState();
  }

  private async deleteFinishedSegments(): Promise<void> {
    for (let i = 0; i < this.segments.length; ) {
      const s = this.segments[i] as Segment;
      if (s.live > 0 || s === this.active) {
        i++;
        continue;
      }
      closeSegmentFiles(s);
      rmSync(s.path, { force: true });
      this.diskBytes -= s.bytes;
      this.segments.splice(i, 1);
    }
  }

  private async readBody(e: Entry): Promise<Buffer | null> {
    try {
      e.segment.reader ??= openSync(e.segment.path, 'r');
      const buf = Buffer.allocUnsafe(e.size);
      const bytesRead = readSync(e.segment.reader, buf, 0, e.size, e.offset);
      if (bytesRead !== e.size) return null;
      const r = decodeRecord(buf, 0);
      return r.ok && r.record.seq === e.seq ? r.record.body : null;
    } catch {
      return null;
    }
  }
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

function closeSegmentFiles(s: Segment): void {
  const fds = [s.writer, s.reader];
  s.writer = null;
  s.reader = null;
  for (const fd of fds) {
    try {
      if (fd !== null) closeSync(fd);
    } catch {
      // Closing is best effort: the data was already synced or will be re-read from disk.
    }
  }
}
