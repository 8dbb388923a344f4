/**
 * Forecast benchmark (issue 8): a 7-day, 1-minute series (10,080 points: daily season, slow
 * trend, AR(1) noise) fitted by every model and forecast 48 h (2,880 steps) ahead. Target: all
 * models together ≤ 2 s on this machine. Also times `auto` (3-origin backtest of every model),
 * the anomaly detectors, and the warm path an alert evaluator uses (refit with the previous
 * fit's parameters fixed). Median of 5 runs (1 with --quick), after one warm-up run.
 */
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { createForecasting } from '../src/server/forecast/index.js';
import { prepareSeries } from '../src/server/forecast/prepare-series.js';
import { syntheticSeries } from '../src/server/forecast/testing/synthetic-series.js';

const STEP = 60_000;
const N = 7 * 1440;
const HORIZON = 48 * 60;
const MODELS = ['sma', 'ewma', 'linear', 'holt-winters', 'arima'] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

function time(runs: number, f: () => unknown): number {
  f(); // warm-up: JIT, not measured
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

export const suite: BenchSuite = {
  name: 'forecast',
  description: 'fit + 48 h forecast of a 7-day 1-minute series by every model; auto; anomaly detectors',
  async run({ quick, log }) {
    const runs = quick ? 1 : 5;
    const { models, detectors } = createForecasting();
    const raw = syntheticSeries({ n: N, stepMs: STEP, level: 40, slope: 0.0005, dailyAmplitude: 15, ar: 0.8, noise: 2, seed: 42 });
    const series = prepareSeries(raw.ts, raw.values, STEP);
    const figures: BenchFigure[] = [];
    let total = 0;
    for (const name of MODELS) {
      let spec = '';
      const ms = time(runs, () => {
        const fit = models.get(name).fit(series);
        spec = fit.spec;
        return fit.forecast(HORIZON);
      });
      total += ms;
      log(`${name}: ${ms.toFixed(1)} ms (${spec})`);
      figures.push({ name: `fit_forecast_48h_${name.replace('-', '_')}_ms`, value: ms, unit: 'ms', note: `${N} points, ${spec}` });
    }
    figures.push({ name: 'fit_forecast_48h_all_models_ms', value: total, unit: 'ms', target: '<= 2000', note: `sum of per-model medians over ${runs} runs` });

    let reason = '';
    const autoMs = time(quick ? 1 : 3, () => {
      const fit = models.get('auto').fit(series, { horizon: HORIZON });
      reason = fit.selection?.reason ?? '';
      return fit.forecast(HORIZON);
    });
    log(`auto: ${autoMs.toFixed(0)} ms — ${reason}`);
    figures.push({ name: 'auto_backtest_select_fit_forecast_ms', value: autoMs, unit: 'ms', note: `3 origins × ${HORIZON} steps per model, then refit: ${reason}` });

    // Alert-evaluator warm path: reuse the previous fit's smoothing constants / coefficients.
    const hw = models.get('holt-winters').fit(series);
    const p = hw.params;
    const warmOpts = {
      seasonLength: p.seasonLength as number,
      seasonality: p.seasonality === 'multiplicative' ? 'multiplicative' : 'additive',
      damped: p.damped as boolean,
      alpha: p.alpha as number,
      beta: p.beta as number,
      gamma: p.gamma as number,
      phi: p.phi as number,
    };
    const warmMs = time(runs, () => models.get('holt-winters').fit(series, warmOpts).forecast(HORIZON));
    figures.push({ name: 'holt_winters_warm_refit_forecast_ms', value: warmMs, unit: 'ms', note: 'parameters fixed from a previous fit (no optimisation)' });

    for (const name of detectors.names()) {
      const ms = time(runs, () => detectors.get(name).detect(series));
      log(`anomaly ${name}: ${ms.toFixed(1)} ms`);
      figures.push({ name: `anomaly_${name.replace(/-/g, '_')}_ms`, value: ms, unit: 'ms', note: `${N} points, default options` });
    }
    return figures;
  },
};
