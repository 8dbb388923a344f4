/** Aggregations a threshold rule applies over its window. */
export const WINDOW_AGGREGATIONS = ['avg', 'min', 'max', 'last', 'p95', 'rate'] as const;
/** A window aggregation. */
export type WindowAggregation = (typeof WINDOW_AGGREGATIONS)[number];

/** Most samples kept per window; older ones are dropped first (bounds memory per series). */
export const WINDOW_MAX_SAMPLES = 4096;

/**
 * The samples of one series within the last `spanMs`, in timestamp order, as a growable ring.
 * Out-of-order samples (older than the newest) are ignored: ingest already rejects them, and a
 * replayed sample must not be counted twice.
 */
export class SeriesWindow {
  private ts: Float64Array;
  private vs: Float64Array;
  private head = 0;
  private size = 0;

  constructor(readonly spanMs: number, capacity = 8) {
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Timestamp of the newest sample, or -Infinity when empty. */
  get newestTs(): number {
    return this.size === 0 ? -Infinity : (this.ts[(this.head + this.size - 1) % this.ts.length] as number);
  }

  /** Adds a sample (ignored when not newer than the newest) and drops samples outside the span. */
  push(ts: number, value: number): void {
    if (this.size > 0 && ts <= this.newestTs) return;
    if (this.size === this.ts.length) {
      if (this.size >= WINDOW_MAX_SAMPLES) this.dropOldest();
      else this.grow();
    }
    const i = (this.head + this.size) % this.ts.length;
    this.ts[i] = ts;
    this.vs[i] = value;
    this.size++;
    this.evict(ts);
  }

  /** Drops samples with `ts <= now - spanMs`. */
  evict(now: number): void {
    const cutoff = now - this.spanMs;
    while (this.size > 0 && (this.ts[this.head] as number) <= cutoff) this.dropOldest();
  }

  /** Aggregate over the samples in the window, or null when it is empty (or `rate` lacks two samples). */
  aggregate(agg: WindowAggregation): number | null {
    const n = this.size;
    if (n === 0) return null;
    const cap = this.vs.length;
    const vs = this.vs;
    // Index arithmetic inline (no closures): this runs once per sample per rule.
    if (agg === 'last') return vs[(this.head + n - 1) % cap] as number;
    if (agg === 'rate') return this.rate();
    if (agg === 'p95') {
      const sorted: number[] = new Array<number>(n);
      for (let k = 0; k < n; k++) sorted[k] = vs[(this.head + k) % cap] as number;
      sorted.sort((a, b) => a - b);
      return sorted[Math.min(n - 1, Math.ceil(0.95 * n) - 1)] as number;
    }
    let acc = agg === 'min' ? Infinity : agg === 'max' ? -Infinity : 0;
    for (let k = 0; k < n; k++) {
      const v = vs[(this.head + k) % cap] as number;
      if (agg === 'avg') acc += v;
      else if (agg === 'min') acc = v < acc ? v : acc;
      else acc = v > acc ? v : acc;
    }
    return agg === 'avg' ? acc / n : acc;
  }

  /** Per-second increase of a counter over the window, counting resets as restarts from 0. */
  private rate(): number | null {
    if (this.size < 2) return null;
    const cap = this.ts.length;
    let increase = 0;
    let prev = this.vs[this.head] as number;
    for (let k = 1; k < this.size; k++) {
      const v = this.vs[(this.head + k) % cap] as number;
      increase += v >= prev ? v - prev : v;
      prev = v;
    }
    const dt = (this.newestTs - (this.ts[this.head] as number)) / 1000;
    return dt > 0 ? increase / dt : null;
  }

  /** Samples as parallel arrays, oldest first (for slope fits and tests). */
  toArrays(): { ts: number[]; values: number[] } {
    const cap = this.ts.length;
    const ts: number[] = [];
    const values: number[] = [];
    for (let k = 0; k < this.size; k++) {
      ts.push(this.ts[(this.head + k) % cap] as number);
      values.push(this.vs[(this.head + k) % cap] as number);
    }
    return { ts, values };
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.ts.length;
    this.size--;
  }

  private grow(): void {
    const cap = this.ts.length * 2;
    const ts = new Float64Array(cap);
    const vs = new Float64Array(cap);
    for (let k = 0; k < this.size; k++) {
      ts[k] = this.ts[(this.head + k) % this.ts.length] as number;
      vs[k] = this.vs[(this.head + k) % this.ts.length] as number;
    }
    this.ts = ts;
    this.vs = vs;
    this.head = 0;
  }
}
