import type { ModelOptions } from '../forecast-model.js';
import type { PreparedSeries } from '../prepare-series.js';

/**
 * Per-point anomaly verdicts, aligned with the series grid (`t0 + i·stepMs`). NaN marks points
 * the detector cannot judge (warm-up, missing value, not enough history).
 */
export interface AnomalyResult {
  /** Registry name of the detector. */
  detector: string;
  /** What the detector compared against, for the UI's hover text. */
  spec: string;
  t0: number;
  stepMs: number;
  /** Expected value (series unit). */
  expected: Float64Array;
  /** Band `expected ± threshold·scale`: values outside are anomalous. */
  lower: Float64Array;
  upper: Float64Array;
  /**
   * Signed score: (y − expected) / scale, where scale = max(σ̂, floor / threshold) and floor =
   * max(minAbsDeviation, minRelDeviation·|expected|). |score| ≥ threshold ⇔ anomalous.
   */
  score: Float64Array;
  /** 1 where |score| ≥ threshold, else 0. */
  anomalous: Uint8Array;
  /** The threshold k used. */
  threshold: number;
  /** Number of anomalous points. */
  count: number;
}

/** Options shared by every detector. */
export interface AnomalyThresholdOptions {
  /** Score threshold k (default 3.5, the usual cut-off for robust z-scores). */
  threshold?: number;
  /** Smallest absolute deviation that can be anomalous (series unit). Default 0. */
  minAbsDeviation?: number;
  /**
   * Smallest deviation relative to |expected| that can be anomalous (fraction). Default 0.001:
   * on a flat 50 % CPU series wiggles below 0.05 points are never flagged, on a 80 GB disk
   * changes below 80 MB are not.
   */
  minRelDeviation?: number;
}

/** One anomaly detection method, registered in the anomaly registry. */
export interface AnomalyDetector {
  readonly name: string;
  readonly description: string;
  /** Scores every point; throws ForecastInputError on bad options or a too-short series. */
  detect(series: PreparedSeries, options?: ModelOptions): AnomalyResult;
}
