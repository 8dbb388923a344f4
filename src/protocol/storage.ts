/** One storage tier as `GET /api/v1/storage` reports it. */
export interface StorageTierUsage {
  tier: 'raw' | '1m' | '1h';
  /** Bytes on disk now. */
  bytes: number;
  /** Oldest timestamp held (ms), null when empty. */
  oldest: number | null;
  /** Configured retention, ms. */
  retentionMs: number;
  /** Growth while the tier fills up to its retention, bytes/day (null when not measurable yet). */
  growthBytesPerDay: number | null;
  /** Expected size once the tier holds a full retention period, bytes (null when unknown). */
  steadyStateBytes: number | null;
}

/**
 * Answer of `GET /api/v1/storage` (admin settings page): disk use per tier, retention and a
 * forecast of how long the disk lasts at the current ingest rate.
 */
export interface StorageUsage {
  backend: 'sqlite' | 'postgres';
  tiers: StorageTierUsage[];
  /** Other parts of the sample store (ingest log + checkpoint, bookkeeping, free pages), bytes. */
  other: Record<string, number>;
  /** Raw samples stored (chunks and head), null when unknown. */
  samples: number | null;
  /** Raw tier bytes per stored sample (null before the first compaction). */
  bytesPerSample: number | null;
  /** Samples per second appended recently. */
  ingestRate: number;
  /** The volume holding the data directory (null for a remote database). */
  disk: { freeBytes: number; totalBytes: number } | null;
  forecast: {
    /** False while a tier has too little history to measure its growth, or the volume is unknown. */
    measured: boolean;
    /** Days until the volume is full at the current rate; null when the steady state fits (never full) or not measured. */
    daysUntilFull: number | null;
    /** Total bytes once every tier holds its full retention. */
    steadyStateBytes: number | null;
  };
  /** Engine counters (damaged data skipped, chunks compacted, head size ...). */
  counters: Record<string, number>;
}
