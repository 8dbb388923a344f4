import type { AlertSeverity, NotificationKind } from '../../protocol/alerting.js';
import type { OutboundRequest, OutboundResponse } from '../outbound/outbound-http.js';
import type { NotificationBatch } from './notification-batch.js';

/** What a channel's send reports; the dispatcher turns it into retries and the delivery log. */
export type SendResult =
  | { kind: 'ok'; statusCode?: number }
  /** Transient: try again (after `retryAfterMs` when the receiver said so, e.g. 429 Retry-After). */
  | { kind: 'retry'; error: string; statusCode?: number; retryAfterMs?: number }
  /** Will not work without a configuration change (4xx, invalid address): not retried. */
  | { kind: 'permanent'; error: string; statusCode?: number };

/** An in-app inbox entry to deliver. */
export interface InboxDelivery {
  alertId: string | null;
  notificationId: string;
  severity: AlertSeverity;
  kind: NotificationKind;
  title: string;
  body: string;
}

/** Capabilities a channel may use; every network call goes through them (SSRF guard). */
export interface ChannelContext {
  /** The SSRF-guarded HTTP client (`OutboundHttp`). */
  http: { request(req: OutboundRequest): Promise<OutboundResponse> };
  /**
   * Resolves an SMTP host to an address the outbound policy allows (private ranges only when
   * allowlisted). @throws Error naming the reason when blocked.
   */
  resolveSmtpHost(host: string): Promise<string>;
  /** Delivers to users' in-app inboxes (respecting their preferences); returns how many got it. */
  deliverInApp(userIds: readonly string[], roles: readonly string[], item: InboxDelivery): Promise<number>;
  /** Timeout for one send, ms. */
  timeoutMs: number;
}

/**
 * A notification channel type (one folder per type under `notify/channels/`). The dispatcher,
 * API and UI only use this interface — nothing switches on the type name.
 */
export interface ChannelType<Config = unknown> {
  type: string;
  title: string;
  /** Names of write-only secret fields (stored encrypted, shown as `{set}`). */
  secretFields: readonly string[];
  /** Secret fields that must be set. */
  requiredSecrets: readonly string[];
  /**
   * Validates non-secret config plus the (decrypted) secrets and returns the normalized config
   * the sender uses. @throws VigilError VIGIL_ERR_VALIDATION naming `config.<field>` or `secrets.<field>`.
   */
  validate(config: unknown, secrets: Readonly<Record<string, string>>): Config;
  /** Public (non-secret) part of a validated config, as stored and shown. */
  publicConfig(config: Config): Record<string, unknown>;
  send(batch: NotificationBatch, config: Config, ctx: ChannelContext): Promise<SendResult>;
  /** Least time between two messages to one target, ms (Slack allows about one per second). */
  minIntervalMs?: number;
  /**
   * Personal delivery to one user (preferences): builds the config for `recipient` (an e-mail
   * address, a webhook URL, a user id). `base` is the admin-chosen channel of this type for personal
   * messages when `needsBase` is set (e.g. the SMTP server), else null.
   */
  personal?: { needsBase: boolean; configure(base: Config | null, recipient: string): Config };
}

/** A channel type of any config, for the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyChannelType = ChannelType<any>;

/** The registry of channel types, built once in `notify/channels/index.ts`. */
export class ChannelRegistry {
  private readonly types = new Map<string, AnyChannelType>();

  constructor(types: readonly AnyChannelType[]) {
    for (const t of types) {
      if (this.types.has(t.type)) throw new Error(`channel type ${t.type} is already registered`);
      this.types.set(t.type, t);
    }
  }

  get(type: string): AnyChannelType | undefined {
    return this.types.get(type);
  }

  list(): AnyChannelType[] {
    return [...this.types.values()];
  }
}
