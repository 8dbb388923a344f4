import { badOption } from '../forecast-input-error.js';
import type { ForecastModel, ModelOptions } from '../forecast-model.js';
import { OptionReader } from '../option-reader.js';
import type { PreparedSeries } from '../prepare-series.js';
import type { AnomalyDetector, AnomalyResult } from './anomaly-detector.js';
import { readThresholdOptions } from './read-threshold-options.js';
import { MAD_TO_SIGMA, medianMad } from './robust-stats.js';
import { scorePoints } from './score-points.js';

/** What the residual detector needs from the forecast registry. */
export interface ModelSource {
  get(name: string): ForecastModel;
}

/** Default model of the residual detector. */
export const DEFAULT_RESIDUAL_MODEL = 'holt-winters';

/**
 * Forecast-residual detector: fits a forecast model (default `holt-winters`, which picks a
 * daily/weekly season when the data shows one) and scores each point by its in-sample one-step
 * residual: expected = the model's one-step prediction, σ̂ = 1.4826·MAD of all residuals (robust,
 * so the anomalies being looked for do not inflate the scale). Options: `model`, `modelOptions`,
 * plus the shared threshold options.
 */
export function createForecastResidualDetector(models: ModelSource): AnomalyDetector {
  return {
    name: 'forecast-residual',
    description: 'One-step residual of a forecast model (Holt-Winters by default), scaled by the robust residual spread.',
    detect(series: PreparedSeries, options?: ModelOptions): AnomalyResult {
      const r = new OptionReader('forecast-residual', options);
      const modelName = r.raw('model') ?? DEFAULT_RESIDUAL_MODEL;
      if (typeof modelName !== 'string' || modelName === 'auto') badOption('forecast-residual', 'model', 'the name of a forecast model other than auto', modelName);
      const modelOptions = r.raw('modelOptions') as ModelOptions | undefined;
      const th = readThresholdOptions(r);
      r.done();
      const fit = models.get(modelName).fit(series, modelOptions);
      const finite: number[] = [];
      for (const e of fit.residuals) if (e === e) finite.push(e);
      const { mad } = finite.length > 0 ? medianMad(finite) : { mad: 0 };
      const sigma = new Float64Array(series.y.length).fill(mad * MAD_TO_SIGMA);
      return scorePoints('forecast-residual', `one-step forecast of ${fit.spec}`, series.t0, series.stepMs, series.y, fit.fitted, sigma, th);
    },
  };
}
