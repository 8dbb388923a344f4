import type { Logger } from '../options/command.js';
import type { SessionService } from './auth/session-service.js';
import type { Clock } from './core/clock.js';
import type { Storage } from './storage/storage.js';
import { LocalSingletonRunner, type SingletonHandle, type SingletonRunner } from './cluster/singleton-runner.js';

/** How often background maintenance runs (ms). */
export const MAINTENANCE_INTERVAL_MS = 60_000;
/** How long an Idempotency-Key answer is remembered (ms): longer than any agent retry horizon of one batch. */
export const IDEMPOTENCY_TTL_MS = 48 * 3_600_000;

/**
 * Periodic jobs. Sample-store maintenance (compaction, checkpoints, rollups, retention) runs on
 * **every** replica: each process owns its time-series head and ingest log (docs/postgres.md), so
 * a follower that skipped it would keep its head in memory and its log growing; rollups and
 * retention are idempotent, so running them on several replicas is harmless. Pruning expired
 * sessions and old idempotency answers runs on the leading replica only. Failures are logged
 * and retried next tick.
 */
export function startMaintenance(deps: { storage: Storage; sessions: SessionService; clock: Clock; log: Logger; runner: SingletonRunner }): SingletonHandle {
  const onError = (err: unknown) => deps.log.warn('maintenance failed', { err: String(err) });
  const everyReplica = new LocalSingletonRunner();
  everyReplica.every('maintenance.samples', MAINTENANCE_INTERVAL_MS, () => deps.storage.samples.maintain(deps.clock.now()), onError);
  const leaderOnly = deps.runner.every(
    'maintenance',
    MAINTENANCE_INTERVAL_MS,
    async () => {
      const now = deps.clock.now();
      await deps.sessions.prune();
      await deps.storage.idempotency.prune(now - IDEMPOTENCY_TTL_MS);
    },
    onError,
  );
  return {
    async stop() {
      await leaderOnly.stop();
      await everyReplica.close();
    },
  };
}
