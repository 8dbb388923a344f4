/**
 * Deterministic synthetic series for tests and benchmarks (never shipped: excluded from the
 * build). Seeded, so every run sees the same numbers.
 */

/** Mulberry32 PRNG: uniform [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a uniform source. */
export function gaussian(rnd: () => number): () => number {
  return () => {
    const u = Math.max(rnd(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
}

/** Shape of {@link syntheticSeries}. */
export interface SyntheticSpec {
  n: number;
  stepMs: number;
  /** Start timestamp, ms (default 2024-01-01T00:00:00Z, a Monday). */
  t0?: number;
  level?: number;
  /** Trend per step. */
  slope?: number;
  /** Amplitude of a daily sine (series unit). */
  dailyAmplitude?: number;
  /** AR(1) coefficient of the noise (default 0 = white). */
  ar?: number;
  /** Noise standard deviation. */
  noise?: number;
  seed?: number;
}

/** Level + trend + daily sine + AR(1) noise on a regular grid. */
export function syntheticSeries(spec: SyntheticSpec): { ts: number[]; values: number[] } {
  const t0 = spec.t0 ?? Date.UTC(2024, 0, 1);
  const g = gaussian(mulberry32(spec.seed ?? 1));
  const perDay = 86_400_000 / spec.stepMs;
  const ts: number[] = [];
  const values: number[] = [];
  let e = 0;
  for (let i = 0; i < spec.n; i++) {
    e = (spec.ar ?? 0) * e + (spec.noise ?? 1) * g();
    ts.push(t0 + i * spec.stepMs);
    values.push((spec.level ?? 0) + (spec.slope ?? 0) * i + (spec.dailyAmplitude ?? 0) * Math.sin((2 * Math.PI * i) / perDay) + e);
  }
  return { ts, values };
}
