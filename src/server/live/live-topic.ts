import type { Permission } from '../auth/policy.js';
import type { Principal } from '../auth/principal.js';
import type { BusEvent } from './event-bus.js';

/**
 * A subscribable live topic (extension point: alerts, notifications and security events add
 * their own). `prepare` runs once per bus event (shared by all clients); `select` runs per
 * subscription and returns the `data` to send, or null to skip.
 */
export interface LiveTopic<Prepared = unknown, Filter = Record<string, string>> {
  name: string;
  /** Permission needed to subscribe. */
  permission: Permission;
  /** Bus event types that feed this topic. */
  eventTypes: readonly string[];
  /** Validates a subscription filter; throws an Error with a message for the client. */
  parseFilter(raw: unknown): Filter;
  prepare(event: BusEvent): Promise<Prepared | null> | Prepared | null;
  /** The message fields to send for one subscription (merged with `{sub}`), or null. */
  select(prepared: Prepared, filter: Filter, principal: Principal): Record<string, unknown> | null;
}

/**
 * A topic of any payload and filter type, for the hub's heterogeneous registry. The hub only
 * passes a topic's own `prepare` output and `parseFilter` output back to that same topic.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLiveTopic = LiveTopic<any, any>;
