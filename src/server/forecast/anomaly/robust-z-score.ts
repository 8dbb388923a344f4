import type { ModelOptions } from '../forecast-model.js';
import { tooShort } from '../forecast-input-error.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import type { AnomalyDetector, AnomalyResult } from './anomaly-detector.js';
import { readThresholdOptions } from './read-threshold-options.js';
import { MAD_TO_SIGMA } from './robust-stats.js';
import { rollingMedianMad } from './rolling-median-mad.js';
import { scorePoints } from './score-points.js';

/**
 * Default window of the rolling robust z-score: one hour of steps, clamped to 10..1440.
 */
export function defaultRobustWindow(stepMs: number): number {
  return Math.max(10, Math.min(1440, Math.round(3_600_000 / stepMs)));
}

/**
 * Rolling robust z-score: expected = median of the previous `window` points, σ̂ = 1.4826·MAD
 * of the same points (the current point is excluded, so a spike cannot mask itself).
 * Options: `window` (steps, default one hour clamped to 10..1440), `minHistory` (finite points
 * needed in the window, default ⌈window/4⌉ but at least 5), plus the shared threshold options.
 */
export const robustZScoreDetector: AnomalyDetector = {
  name: 'robust-z',
  description: 'Rolling median/MAD z-score against the previous hour (or a given window).',
  detect(series: PreparedSeries, options?: ModelOptions): AnomalyResult {
    const r = new OptionReader('robust-z', options);
    const window = r.number('window', { min: 3, max: 100_000, integer: true, default: defaultRobustWindow(series.stepMs) });
    const minHistory = r.number('minHistory', { min: 1, max: 100_000, integer: true, default: Math.max(5, Math.ceil(window / 4)) });
    const th = readThresholdOptions(r);
    r.done();
    const need = Math.min(minHistory, window);
    if (series.observed < need + 1) tooShort('robust-z', need + 1, series.observed, `window ${window}`);
    const { median, mad } = rollingMedianMad(series.y, window, need);
    const sigma = mad.map((v) => v * MAD_TO_SIGMA);
    return scorePoints('robust-z', `median ± MAD of the previous ${window} steps`, series.t0, series.stepMs, series.y, median, sigma, th);
  },
};
