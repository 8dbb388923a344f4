import type { Logger } from '../options/command.js';
import type { SessionService } from './auth/session-service.js';
import type { Clock } from './core/clock.js';
import type { Storage } from './storage/storage.js';

/** How often background maintenance runs (ms). */
export const MAINTENANCE_INTERVAL_MS = 60_000;
/** How long an Idempotency-Key answer is remembered (ms): longer than any agent retry horizon of one batch. */
export const IDEMPOTENCY_TTL_MS = 48 * 3_600_000;

/**
 * Periodic jobs: sample-store maintenance (retention, compaction), expired sessions and old
 * idempotency answers. One run at a time; failures are logged and retried next tick.
 */
export function startMaintenance(deps: { storage: Storage; sessions: SessionService; clock: Clock; log: Logger }): { stop(): void; idle(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      const now = deps.clock.now();
      try {
        await deps.storage.samples.maintain(now);
        await deps.sessions.prune();
        await deps.storage.idempotency.prune(now - IDEMPOTENCY_TTL_MS);
      } catch (err) {
        deps.log.warn('maintenance failed', { err: String(err) });
      }
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    idle: async () => {
      await running;
    },
  };
}
