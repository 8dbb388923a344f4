/**
 * Forecast benchmark (issue 8): a 7-day, 1-minute series (10,080 points: daily season, slow
 * trend, AR(1) noise) fitted by every model and forecast 48 h (2,880 steps) ahead. Target: all
 * models together ≤ 2 s on this machine. Also times `auto` (3-origin backtest of every model),
 * the anomaly detectors, and the warm path an alert evaluator uses (refit with the previous
 * fit's parameters fixed). Median of 5 runs (1 with --quick), after one warm-up run.
 */
import { cpus, loadavg } from 'node:os';
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

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median wall-clock and CPU ms of `runs` calls after one unmeasured warm-up (JIT). */
function timeBoth(runs: number, f: () => unknown): { wall: number; cpu: number } {
  f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = cpuMs();
    const t = performance.now();
    f();
    wall.push(performance.now() - t);
    cpu.push(cpuMs() - c);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function time(runs: number, f: () => unknown): number {
  return timeBoth(runs, f).wall;
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
    // The machine is shared: the load average says how much the wall-clock figures are inflated.
    const load = loadavg()[0] ?? 0;
    let total = 0;
    let totalCpu = 0;
    for (const name of MODELS) {
      let spec = '';
      const { wall, cpu } = timeBoth(runs, () => {
        const fit = models.get(name).fit(series);
        spec = fit.spec;
        return fit.forecast(HORIZON);
      });
      total += wall;
      totalCpu += cpu;
      log(`${name}: ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU (${spec})`);
      figures.push({ name: `fit_forecast_48h_${name.replace('-', '_')}_ms`, value: wall, unit: 'ms', note: `${N} points, ${spec}; CPU ${cpu.toFixed(1)} ms` });
    }
    figures.push({
      name: 'fit_forecast_48h_all_models_ms',
      value: total,
      unit: 'ms',
      target: '<= 2000',
      note: `sum of per-model wall medians over ${runs} runs; CPU ${totalCpu.toFixed(0)} ms; 1-min load average at start ${load.toFixed(2)} on ${cpus().length} CPUs`,
    });

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
