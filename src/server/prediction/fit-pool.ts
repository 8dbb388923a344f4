import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VigilError } from '../core/errors.js';
import type { PredictionJob, PredictionOutcome } from './prediction-job.js';

/** Limits of the {@link FitPool}. */
export interface FitPoolOptions {
  /** Jobs waiting behind the running one before new requests get 429 (default 4). */
  maxQueued: number;
  /** A job running longer than this is abandoned: the worker is restarted (ms, default 30 s). */
  timeoutMs: number;
}

/** Default {@link FitPoolOptions}. */
export const DEFAULT_FIT_POOL_OPTIONS: FitPoolOptions = { maxQueued: 4, timeoutMs: 30_000 };

/** Counters for `/metrics`. */
export interface FitPoolCounters {
  jobs: number;
  rejectedBusy: number;
  timeouts: number;
  failures: number;
}

interface Pending {
  id: number;
  job: PredictionJob;
  resolve: (o: PredictionOutcome) => void;
  reject: (e: Error) => void;
}

/**
 * The worker script: the compiled `.js` next to this file, or the `.ts` source under tsx (tests,
 * `npm run bench`), where the worker must register tsx itself (Node 20 does not pass loader hooks
 * to workers).
 */
function workerSource(): { code: string; eval: true } {
  const js = new URL('./fit-worker.js', import.meta.url);
  const url = existsSync(fileURLToPath(js)) ? js.href : new URL('./fit-worker.ts', import.meta.url).href;
  const load = url.endsWith('.ts') ? `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })` : `import(${JSON.stringify(url)})`;
  return { code: load, eval: true };
}

/**
 * Runs model fits off the event loop on one worker thread (fits take 10 ms to 2 s; the HTTP
 * server must keep answering meanwhile). One job at a time, a bounded queue behind it (429
 * `VIGIL_ERR_FORECAST_BUSY` when full), a per-job timeout that restarts the worker. The worker
 * starts on first use and is unref'd, so an idle pool never keeps the process alive.
 */
export class FitPool {
  readonly counters: FitPoolCounters = { jobs: 0, rejectedBusy: 0, timeouts: 0, failures: 0 };
  private worker: Worker | null = null;
  private running: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: FitPoolOptions = DEFAULT_FIT_POOL_OPTIONS) {}

  /** Runs `job` on the worker. @throws VigilError `VIGIL_ERR_FORECAST_BUSY` (429) when the queue is full. */
  run(job: PredictionJob): Promise<PredictionOutcome> {
    if (this.closed) return Promise.reject(new VigilError('VIGIL_ERR_SHUTTING_DOWN', 'the server is shutting down', undefined, 5));
    if (this.queue.length >= this.opts.maxQueued) {
      this.counters.rejectedBusy++;
      return Promise.reject(new VigilError('VIGIL_ERR_FORECAST_BUSY', `model fitting is busy (${this.queue.length + 1} requests ahead); retry shortly`, undefined, 2));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.pump();
    });
  }

  /** Jobs running or waiting. */
  get load(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const src = workerSource();
    const w = new Worker(src.code, { eval: src.eval });
    w.unref();
    w.on('message', (m: { id: number; outcome?: PredictionOutcome; failure?: string }) => this.finish(m));
    // Events of a worker that was already replaced (timeout, crash) must not touch the next job.
    w.on('error', (err) => {
      if (this.worker === w) this.crash(err);
    });
    w.on('exit', () => {
      if (this.worker === w) this.crash(new Error('the fit worker exited'));
    });
    this.worker = w;
    return w;
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.counters.jobs++;
    const timer = setTimeout(() => this.timeout(), this.opts.timeoutMs);
    timer.unref();
    this.running = { ...next, timer };
    const w = this.ensureWorker();
    w.ref();
    w.postMessage({ id: next.id, job: next.job }, [next.job.y.buffer as ArrayBuffer]);
  }

  private settle(): (Pending & { timer: NodeJS.Timeout }) | null {
    const r = this.running;
    if (!r) return null;
    clearTimeout(r.timer);
    this.running = null;
    this.worker?.unref();
    return r;
  }

  private finish(m: { id: number; outcome?: PredictionOutcome; failure?: string }): void {
    if (this.running?.id !== m.id) return;
    const r = this.settle() as Pending;
    if (m.outcome) r.resolve(m.outcome);
    else {
      this.counters.failures++;
      r.reject(new Error(`model fit failed: ${m.failure ?? 'unknown error'}`));
    }
    this.pump();
  }

  private timeout(): void {
    const r = this.settle();
    if (!r) return;
    this.counters.timeouts++;
    r.reject(new VigilError('VIGIL_ERR_FORECAST_BUSY', `the model fit took longer than ${Math.round(this.opts.timeoutMs / 1000)} s and was stopped; shorten the range or pick a simpler model`, undefined, 5));
    this.restart();
  }

  private crash(err: Error): void {
    const r = this.settle();
    this.counters.failures++;
    r?.reject(err);
    this.restart();
  }

  private restart(): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
    this.pump();
  }

  /** Rejects waiting jobs and stops the worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new VigilError('VIGIL_ERR_SHUTTING_DOWN', 'the server is shutting down', undefined, 5));
    const r = this.settle();
    r?.reject(new VigilError('VIGIL_ERR_SHUTTING_DOWN', 'the server is shutting down', undefined, 5));
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
