import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VigilError } from '../core/errors.js';
import { FitPool } from './fit-pool.js';
import type { PredictionJob } from './prediction-job.js';

const STEP = 60_000;

function job(n: number, model = 'linear'): PredictionJob {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 10 + 0.1 * i + Math.sin(i);
  return { kind: 'forecast', t0: 0, stepMs: STEP, y, model, horizonSteps: 10, threshold: null, direction: 'above' };
}

describe('FitPool', () => {
  it('runs jobs on the worker in order and reports model input errors as outcomes', async () => {
    const pool = new FitPool({ maxQueued: 4, timeoutMs: 30_000 });
    try {
      const [a, b] = await Promise.all([pool.run(job(200)), pool.run(job(5, 'arima'))]);
      assert.equal(a.kind, 'forecast');
      assert.equal(b.kind, 'error');
      assert.equal(b.kind === 'error' && b.code, 'VIGIL_ERR_FORECAST_TOO_SHORT');
      assert.equal(pool.counters.jobs, 2);
    } finally {
      await pool.close();
    }
  });

  it('answers 429 VIGIL_ERR_FORECAST_BUSY when the queue is full', async () => {
    const pool = new FitPool({ maxQueued: 1, timeoutMs: 30_000 });
    try {
      const first = pool.run(job(3000, 'auto'));
      const second = pool.run(job(200));
      await assert.rejects(pool.run(job(200)), (err: unknown) => err instanceof VigilError && err.code === 'VIGIL_ERR_FORECAST_BUSY' && err.status === 429 && err.retryAfterSeconds !== undefined);
      assert.equal(pool.counters.rejectedBusy, 1);
      await Promise.all([first, second]);
    } finally {
      await pool.close();
    }
  });

  it('stops a job that exceeds the timeout and keeps serving with a fresh worker', async () => {
    const pool = new FitPool({ maxQueued: 4, timeoutMs: 50 });
    try {
      await assert.rejects(pool.run(job(10_000, 'auto')), (err: unknown) => err instanceof VigilError && err.code === 'VIGIL_ERR_FORECAST_BUSY');
      assert.equal(pool.counters.timeouts, 1);
      const slowPool = pool as unknown as { opts: { timeoutMs: number } };
      slowPool.opts.timeoutMs = 30_000;
      assert.equal((await pool.run(job(100))).kind, 'forecast');
    } finally {
      await pool.close();
    }
  });
});
