import type { AnomalyResponse } from '../../../src/protocol/forecast.js';

/** One flagged point of an anomaly overlay. */
export interface OverlayAnomaly {
  ts: number;
  value: number;
  expected: number;
  score: number;
}

/**
 * The expected band and anomalous points drawn over a chart (the anomaly overlay of the host
 * charts). Band arrays are aligned on `timestamps`; null where the detector could not judge.
 */
export interface ChartOverlay {
  detector: string;
  /** What the detector compared against, for the hover text. */
  spec: string;
  timestamps: number[];
  lower: (number | null)[];
  upper: (number | null)[];
  anomalies: OverlayAnomaly[];
}

/** The overlay of the first series the anomaly API could judge, or null when none could be. */
export function overlayFromAnomaly(r: AnomalyResponse): ChartOverlay | null {
  const s = r.series.find((x) => x.error === undefined && x.lower !== undefined && x.upper !== undefined);
  if (!s) return null;
  return { detector: s.detector ?? r.detector, spec: s.spec ?? '', timestamps: s.timestamps, lower: s.lower ?? [], upper: s.upper ?? [], anomalies: s.anomalies ?? [] };
}

/** The anomaly closest to `ts` within `toleranceMs`, or null. */
export function nearestAnomaly(o: ChartOverlay, ts: number, toleranceMs: number): OverlayAnomaly | null {
  let best: OverlayAnomaly | null = null;
  for (const a of o.anomalies) {
    const d = Math.abs(a.ts - ts);
    if (d <= toleranceMs && (best === null || d < Math.abs(best.ts - ts))) best = a;
  }
  return best;
}

/** Hover text of an anomalous point: value, expected value, score and detector. */
export function anomalyHoverText(o: ChartOverlay, a: OverlayAnomaly, format: (v: number) => string): string {
  return `Anomaly at ${new Date(a.ts).toLocaleTimeString()}: ${format(a.value)} (expected ${format(a.expected)}), score ${a.score.toFixed(1)} — ${o.detector}: ${o.spec}`;
}
