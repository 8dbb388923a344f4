import { ChunkCorruptError } from '../codec/chunk-corrupt-error.js';
import { decodeCheckpointPart } from '../codec/checkpoint-part.js';
import { decodeChunk } from '../codec/decode-chunk.js';
import { decodeLogRecord } from '../codec/log-record.js';
import type { EngineContext } from './engine-context.js';

/** Where the log stood after recovery. */
export interface RecoveredLog {
  /** Sequence number of the newest log record (0 when the log is empty). */
  lastSeq: number;
  /** Bytes of log records newer than the checkpoint (they count toward the next checkpoint). */
  logBytes: number;
}

/**
 * Rebuilds the head after a restart: persisted high-water marks first (so samples already in
 * chunks are skipped, never duplicated), then the checkpoint's chunks, then every log record
 * after the checkpoint. Damaged checkpoint parts, chunks and log records are counted, logged and
 * skipped; everything else is recovered.
 */
export async function recoverHead(ctx: EngineContext): Promise<RecoveredLog> {
  const { head, counters } = ctx;
  for (const [seriesId, maxTs] of await ctx.p.persistedMaxTs()) head.setPersisted(seriesId, maxTs);
  const checkpoint = await ctx.p.readCheckpoint();
  if (checkpoint) {
    for (const part of checkpoint.parts) {
      let entries;
      try {
        entries = decodeCheckpointPart(part);
      } catch (err) {
        if (!(err instanceof ChunkCorruptError)) throw err;
        counters.corrupt_checkpoint_parts++;
        ctx.opts.log.error('tsdb: skipped a damaged checkpoint part', { error: err.message });
        continue;
      }
      for (const e of entries) {
        try {
          const d = decodeChunk(e.bytes);
          counters.samples_replayed += head.restoreChunk(e.seriesId, d.ts, d.values, e.bytes);
        } catch (err) {
          if (!(err instanceof ChunkCorruptError)) throw err;
          counters.corrupt_chunks++;
          ctx.opts.log.error('tsdb: skipped a damaged checkpoint chunk', { seriesId: e.seriesId, error: err.message });
        }
      }
    }
  }
  let lastSeq = checkpoint?.seq ?? 0;
  let logBytes = 0;
  for await (const entry of ctx.p.readLog(lastSeq)) {
    lastSeq = entry.seq;
    logBytes += entry.data.length;
    let rec;
    try {
      rec = decodeLogRecord(entry.data);
    } catch (err) {
      if (!(err instanceof ChunkCorruptError)) throw err;
      counters.corrupt_log_records++;
      ctx.opts.log.error('tsdb: skipped a damaged ingest-log record', { seq: entry.seq, error: err.message });
      continue;
    }
    for (let i = 0; i < rec.ts.length; i++) if (head.replay(rec.seriesIds[i]!, rec.ts[i]!, rec.values[i]!)) counters.samples_replayed++;
  }
  return { lastSeq, logBytes };
}
