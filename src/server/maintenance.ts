import type { Logger } from '../options/command.js';
import type { SessionService } from './auth/session-service.js';
import type { Clock } from './core/clock.js';
import type { Storage } from './storage/storage.js';
import type { SingletonHandle, SingletonRunner } from './cluster/singleton-runner.js';

/** How often background maintenance runs (ms). */
export const MAINTENANCE_INTERVAL_MS = 60_000;
/** How long an Idempotency-Key answer is remembered (ms): longer than any agent retry horizon of one batch. */
export const IDEMPOTENCY_TTL_MS = 48 * 3_600_000;

/**
 * Periodic jobs on the leading replica: sample-store maintenance (retention, compaction),
 * expired sessions and old idempotency answers. Failures are logged and retried next tick.
 */
export function startMaintenance(deps: { storage: Storage; sessions: SessionService; clock: Clock; log: Logger; runner: SingletonRunner }): SingletonHandle {
  return deps.runner.every(
    'maintenance',
    MAINTENANCE_INTERVAL_MS,
    async () => {
      const now = deps.clock.now();
      await deps.storage.samples.maintain(now);
      await deps.sessions.prune();
      await deps.storage.idempotency.prune(now - IDEMPOTENCY_TTL_MS);
    },
    (err) => deps.log.warn('maintenance failed', { err: String(err) }),
  );
}
