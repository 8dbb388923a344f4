/** Tuning of the in-memory head. */
export interface HeadOptions {
  /** Samples after which the open chunk of a series is closed and a new one started (default 120). */
  chunkMaxSamples: number;
  /** Largest time span (ms) from the first to the last sample of one chunk (default 2 h). */
  chunkMaxSpanMs: number;
  /**
   * Out-of-order window (ms, default 10 min). A sample older than the newest one of its series is
   * still accepted when it is no more than this much older than the newer of (newest sample of the
   * series, the clock), and newer than everything already finalized for the series. Samples in
   * order are always accepted, however old (agent spools replay hours of data in order).
   */
  oooWindowMs: number;
}

/** Defaults: Prometheus-sized chunks (120 samples or 2 h) and a 10 minute out-of-order window. */
export const DEFAULT_HEAD_OPTIONS: HeadOptions = {
  chunkMaxSamples: 120,
  chunkMaxSpanMs: 2 * 3_600_000,
  oooWindowMs: 10 * 60_000,
};
