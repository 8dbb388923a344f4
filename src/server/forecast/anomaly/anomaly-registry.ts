import { ForecastInputError } from '../forecast-input-error.js';
import type { AnomalyDetector } from './anomaly-detector.js';
import type { ModelSource } from './forecast-residual.js';
import { createForecastResidualDetector } from './forecast-residual.js';
import { robustZScoreDetector } from './robust-z-score.js';
import { seasonalBaselineDetector } from './seasonal-baseline.js';

/** The extension point for anomaly detectors, looked up by name (the app never switches on it). */
export class AnomalyRegistry {
  private readonly detectors = new Map<string, AnomalyDetector>();

  /** Adds a detector; throws on a duplicate name (a programming error). */
  register(d: AnomalyDetector): this {
    if (this.detectors.has(d.name)) throw new Error(`anomaly detector "${d.name}" is already registered`);
    this.detectors.set(d.name, d);
    return this;
  }

  /** The detector registered as `name`; `VIGIL_ERR_FORECAST_UNKNOWN_MODEL` otherwise. */
  get(name: string): AnomalyDetector {
    const d = this.detectors.get(name);
    if (!d) {
      throw new ForecastInputError(
        'VIGIL_ERR_FORECAST_UNKNOWN_MODEL',
        `unknown anomaly detector "${String(name).slice(0, 40)}"; known: ${this.names().join(', ')}`,
        { detector: name, known: this.names() },
      );
    }
    return d;
  }

  /** Names in registration order. */
  names(): string[] {
    return [...this.detectors.keys()];
  }

  /** Detectors in registration order. */
  list(): AnomalyDetector[] {
    return [...this.detectors.values()];
  }
}

/** A registry with `robust-z`, `seasonal-baseline` and `forecast-residual` (using `models`). */
export function createAnomalyRegistry(models: ModelSource): AnomalyRegistry {
  return new AnomalyRegistry().register(robustZScoreDetector).register(seasonalBaselineDetector).register(createForecastResidualDetector(models));
}
