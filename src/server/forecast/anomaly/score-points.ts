import type { AnomalyResult } from './anomaly-detector.js';

/** Scores are clamped to ±1e6 so a zero-scale history yields a large finite (JSON-safe) score. */
export const SCORE_CAP = 1e6;

/** Threshold settings resolved to numbers (see `AnomalyThresholdOptions`). */
export interface ResolvedThreshold {
  threshold: number;
  minAbsDeviation: number;
  minRelDeviation: number;
}

/**
 * Turns per-point expectations and robust scales into an {@link AnomalyResult}. `sigma[i]` is
 * the detector's σ̂ (≥ 0); the floor stops a perfectly flat history (σ̂ = 0) from turning every
 * tiny wiggle into an infinite score.
 */
export function scorePoints(
  detector: string,
  spec: string,
  t0: number,
  stepMs: number,
  y: Float64Array,
  expected: Float64Array,
  sigma: Float64Array,
  th: ResolvedThreshold,
): AnomalyResult {
  const n = y.length;
  const lower = new Float64Array(n).fill(Number.NaN);
  const upper = new Float64Array(n).fill(Number.NaN);
  const score = new Float64Array(n).fill(Number.NaN);
  const anomalous = new Uint8Array(n);
  const k = th.threshold;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const ex = expected[i] as number;
    const sg = sigma[i] as number;
    if (ex !== ex || sg !== sg) continue;
    const floor = Math.max(th.minAbsDeviation, th.minRelDeviation * Math.abs(ex));
    const scale = Math.max(sg, floor / k);
    const half = k * scale;
    lower[i] = ex - half;
    upper[i] = ex + half;
    const v = y[i] as number;
    if (v !== v) continue;
    // A zero scale (flat history, zero floors) makes any change maximally surprising.
    const raw = scale > 0 ? (v - ex) / scale : v === ex ? 0 : v > ex ? SCORE_CAP : -SCORE_CAP;
    const s = Math.max(-SCORE_CAP, Math.min(SCORE_CAP, raw));
    score[i] = s;
    if (Math.abs(s) >= k) {
      anomalous[i] = 1;
      count++;
    }
  }
  return { detector, spec, t0, stepMs, expected, lower, upper, score, anomalous, threshold: k, count };
}
