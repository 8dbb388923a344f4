import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { SingletonContext, SingletonHandle, SingletonRunner } from './singleton-runner.js';

/** Options of {@link PgSingletonRunner}. */
export interface PgSingletonRunnerOptions {
  /** Pool the lease queries run on (a small dedicated pool: leases must not queue behind ingest). */
  pool: pg.Pool;
  /** Name of the lease all singleton jobs share (default `vigil.leader`). */
  leaseName?: string;
  /** Lease duration, ms (default 10 s): a dead leader is replaced at most `ttlMs + renewMs` later. */
  ttlMs?: number;
  /** Renewal period, ms (default 3 s). */
  renewMs?: number;
  /** Identifies this process in the lease row (default `<hostname>:<pid>:<random>`). */
  holder?: string;
  /** Called when renewing fails (database unreachable). */
  onError?: (err: unknown) => void;
  /** End `pool` in {@link PgSingletonRunner.close} (default false: the caller owns it). */
  closePool?: boolean;
  /** Called when this replica gains (`true`) or loses (`false`) leadership. */
  onChange?: (leader: boolean, fencingToken: number) => void;
}

/** Creates the lease table when missing (idempotent; the table belongs to the cluster module). */
export const LEASE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS vigil_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  token BIGINT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
)`;

// Acquire or renew in one statement. Expiry uses the database clock, so replicas' clocks never
// matter; the token grows whenever the lease changes hands or lapsed, never on a plain renewal.
const ACQUIRE_SQL = `INSERT INTO vigil_leases (name, holder, token, expires_at)
VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
ON CONFLICT (name) DO UPDATE SET
  token = CASE WHEN vigil_leases.holder = EXCLUDED.holder AND vigil_leases.expires_at > clock_timestamp()
               THEN vigil_leases.token ELSE vigil_leases.token + 1 END,
  holder = EXCLUDED.holder,
  expires_at = EXCLUDED.expires_at
WHERE vigil_leases.holder = EXCLUDED.holder OR vigil_leases.expires_at <= clock_timestamp()
RETURNING token`;

const RELEASE_SQL = `UPDATE vigil_leases SET expires_at = clock_timestamp() WHERE name = $1 AND holder = $2`;

/**
 * Leader election on PostgreSQL with a lease row and a fencing token (docs/adr/0004).
 *
 * Every replica tries to take or renew one lease every `renewMs`; the one holding it runs all
 * singleton jobs (alert evaluation, notification pipeline and dispatch, maintenance), so jobs that
 * cooperate in process (the engine wakes the notifier) stay on one replica. The leader counts its
 * lease from the moment it *sent* the renewal, minus a 1 s margin, so it always believes it leads
 * for less time than the database grants: when it cannot renew (crash, partition, database down)
 * it stops — jobs see `signal` aborted — before another replica can take over.
 */
export class PgSingletonRunner implements SingletonRunner {
  private readonly pool: pg.Pool;
  private readonly leaseName: string;
  private readonly ttlMs: number;
  private readonly renewMs: number;
  readonly holder: string;
  private readonly onError: (err: unknown) => void;
  private readonly onChange: (leader: boolean, token: number) => void;
  private token: number | null = null;
  /** `performance.now()` until which this replica may act as leader. */
  private validUntil = 0;
  private controller = new AbortController();
  private renewTimer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  private readonly handles = new Set<SingletonHandle>();
  private closed = false;
  private readonly closePool: boolean;

  constructor(opts: PgSingletonRunnerOptions) {
    this.pool = opts.pool;
    this.leaseName = opts.leaseName ?? 'vigil.leader';
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.renewMs = opts.renewMs ?? 3_000;
    if (this.renewMs * 2 > this.ttlMs) throw new Error('renewMs must be at most half of ttlMs');
    this.holder = opts.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.onError = opts.onError ?? (() => {});
    this.onChange = opts.onChange ?? (() => {});
    this.closePool = opts.closePool ?? false;
    this.controller.abort();
  }

  /** Creates the lease table if needed, makes the first attempt and starts renewing. */
  async start(): Promise<void> {
    await this.pool.query(LEASE_TABLE_SQL);
    await this.renew();
    this.renewTimer = setInterval(() => void this.renew(), this.renewMs);
    this.renewTimer.unref();
  }

  /** Fencing token of the current lease, or null when this replica does not lead. */
  get fencingToken(): number | null {
    return this.isLeader() ? this.token : null;
  }

  isLeader(): boolean {
    return this.token !== null && performance.now() < this.validUntil;
  }

  every(name: string, intervalMs: number, fn: (ctx: SingletonContext) => Promise<void>, onError: (err: unknown) => void = () => {}): SingletonHandle {
    let running: Promise<void> | null = null;
    let stopped = false;
    const tick = () => {
      if (running || stopped || !this.isLeader()) return;
      running = fn({ fencingToken: this.token as number, signal: this.controller.signal })
        .catch(onError)
        .finally(() => {
          running = null;
        });
    };
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    const handle: SingletonHandle = {
      stop: async () => {
        stopped = true;
        clearInterval(timer);
        await running;
        this.handles.delete(handle);
      },
    };
    this.handles.add(handle);
    void name;
    return handle;
  }

  /** Stops the jobs and hands the lease over at once (another replica takes it on its next renewal). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    await this.renewing;
    const wasLeader = this.isLeader();
    this.lose();
    await Promise.all([...this.handles].map((h) => h.stop()));
    if (wasLeader) await this.pool.query(RELEASE_SQL, [this.leaseName, this.holder]).catch(this.onError);
    if (this.closePool) await this.pool.end().catch(this.onError);
  }

  private renew(): Promise<void> {
    if (this.renewing || this.closed) return this.renewing ?? Promise.resolve();
    this.renewing = this.attempt().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async attempt(): Promise<void> {
    const sentAt = performance.now();
    try {
      const r = await this.pool.query<{ token: string }>(ACQUIRE_SQL, [this.leaseName, this.holder, this.ttlMs]);
      if (this.closed) return;
      const row = r.rows[0];
      if (!row) {
        this.lose();
        return;
      }
      this.gain(Number(row.token), sentAt + this.ttlMs - 1000);
    } catch (err) {
      // Keep leading until the lease we hold runs out locally; the expiry timer ends it.
      this.onError(err);
    }
  }

  private gain(token: number, validUntil: number): void {
    const wasLeader = this.isLeader();
    if (!wasLeader || token !== this.token) {
      this.controller.abort();
      this.controller = new AbortController();
    }
    this.token = token;
    this.validUntil = validUntil;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => {
      if (!this.isLeader()) this.lose();
    }, Math.max(0, validUntil - performance.now()) + 1);
    this.expiryTimer.unref();
    if (!wasLeader) this.onChange(true, token);
  }

  private lose(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    const was = this.token;
    this.token = null;
    this.validUntil = 0;
    if (!this.controller.signal.aborted) {
      this.controller.abort();
      if (was !== null) this.onChange(false, was);
    }
  }
}
