import { randomUUID } from 'node:crypto';
import type { EventBus } from '../live/event-bus.js';

/** Bus event: a follower asks the leader's engine to apply an operator command. */
export const ALERT_COMMAND_REQUESTED = 'alert_command_requested';
/** Bus event: the leader's answer to {@link ALERT_COMMAND_REQUESTED}. */
export const ALERT_COMMAND_ANSWERED = 'alert_command_answered';

/** A command only the leader can apply (it holds the alert state machine in memory). */
export type AlertCommand = { op: 'ack'; alertId: string; by: string; comment: string; expiresAt: number | null } | { op: 'unack'; alertId: string; by: string };

interface Requested {
  requestId: string;
  command: AlertCommand;
}

interface Answered {
  requestId: string;
  ok: boolean;
}

/** Thrown by {@link LeaderCommands.request} when no leader answered in time. */
export class NoLeaderAnswer extends Error {}

/**
 * Carries operator commands (acknowledge, unacknowledge) from the replica that received the HTTP
 * request to the replica that leads alert evaluation, over the live event bus, and brings the
 * answer back. With one process (or on the leader) commands never travel: the engine applies them
 * directly. The answer is sent after the leader persisted the change, so the follower can read
 * the result from the shared database.
 */
export class LeaderCommands {
  private readonly waiting = new Map<string, (ok: boolean) => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly bus: EventBus,
    /** How long a follower waits for the leader, ms (default 5 s). */
    private readonly timeoutMs = 5000,
  ) {}

  /** Starts answering requests with `apply` whenever `isLeader()` holds, and collecting answers. */
  start(isLeader: () => boolean, apply: (c: AlertCommand) => Promise<boolean>, onError: (err: unknown) => void): void {
    this.unsubscribe = this.bus.subscribe((e) => {
      if (e.type === ALERT_COMMAND_ANSWERED) {
        const a = e.data as Answered;
        this.waiting.get(a.requestId)?.(a.ok === true);
        return;
      }
      if (e.type !== ALERT_COMMAND_REQUESTED || !isLeader()) return;
      const r = e.data as Requested;
      // Our own requests are never answered here: a replica only forwards when it does not lead.
      if (this.waiting.has(r.requestId)) return;
      apply(r.command).then(
        (ok) => this.bus.publish({ type: ALERT_COMMAND_ANSWERED, data: { requestId: r.requestId, ok } satisfies Answered }),
        (err: unknown) => onError(err),
      );
    });
  }

  /** Sends `command` to the leader and resolves with its answer; throws {@link NoLeaderAnswer} after the timeout. */
  request(command: AlertCommand): Promise<boolean> {
    const requestId = randomUUID();
    return new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new NoLeaderAnswer('no replica leading alert evaluation answered'));
      }, this.timeoutMs);
      this.waiting.set(requestId, (ok) => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        resolve(ok);
      });
      this.bus.publish({ type: ALERT_COMMAND_REQUESTED, data: { requestId, command } satisfies Requested });
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
