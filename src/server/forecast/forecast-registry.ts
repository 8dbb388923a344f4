import { ForecastInputError } from './forecast-input-error.js';
import type { ForecastModel } from './forecast-model.js';
import { arimaModel } from './models/arima.js';
import { createAutoModel } from './models/auto.js';
import { ewmaModel } from './models/ewma.js';
import { holtWintersModel } from './models/holt-winters.js';
import { linearTrendModel } from './models/linear-trend.js';
import { smaModel } from './models/sma.js';

/** Model names are lower-case words joined by dashes, like `holt-winters`. */
const NAME_RE = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The extension point for forecasting methods: the API, the predictions page and alert rules
 * look models up here by name and only use the {@link ForecastModel} interface.
 */
export class ForecastRegistry {
  private readonly models = new Map<string, ForecastModel>();

  /** Adds a model; throws on a malformed or duplicate name (a programming error, not input). */
  register(model: ForecastModel): this {
    if (!NAME_RE.test(model.name)) throw new Error(`invalid forecast model name "${model.name}"`);
    if (this.models.has(model.name)) throw new Error(`forecast model "${model.name}" is already registered`);
    this.models.set(model.name, model);
    return this;
  }

  /** The model registered as `name`; `VIGIL_ERR_FORECAST_UNKNOWN_MODEL` otherwise. */
  get(name: string): ForecastModel {
    const m = this.models.get(name);
    if (!m) {
      throw new ForecastInputError(
        'VIGIL_ERR_FORECAST_UNKNOWN_MODEL',
        `unknown forecast model "${String(name).slice(0, 40)}"; known: ${this.names().join(', ')}`,
        { model: name, known: this.names() },
      );
    }
    return m;
  }

  /** True when a model is registered as `name`. */
  has(name: string): boolean {
    return this.models.has(name);
  }

  /** Names in registration order (simplest first for the built-ins). */
  names(): string[] {
    return [...this.models.keys()];
  }

  /** Models in registration order. */
  list(): ForecastModel[] {
    return [...this.models.values()];
  }
}

/**
 * A registry with the built-in models, simplest first: `sma`, `ewma`, `linear`,
 * `holt-winters`, `arima`, then `auto` (backtest-based selection among the others).
 */
export function createForecastRegistry(): ForecastRegistry {
  const r = new ForecastRegistry();
  for (const m of [smaModel, ewmaModel, linearTrendModel, holtWintersModel, arimaModel]) r.register(m);
  r.register(createAutoModel(r));
  return r;
}
