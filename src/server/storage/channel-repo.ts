/** A stored notification channel. Secrets are one sealed JSON object (SecretBox), never plaintext. */
export interface ChannelRecord {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  /** `SecretBox` output of a JSON object of secret fields, or null when there are none. */
  secretsSealed: string | null;
  enabled: boolean;
  configError: string | null;
  consecutiveFailures: number;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Result of one delivery attempt, as it affects the channel's health. */
export type ChannelOutcome = { ok: true; at: number } | { ok: false; at: number; configError: string | null };

/** Notification channels. Names are unique. */
export interface ChannelRepo {
  list(): Promise<ChannelRecord[]>;
  get(id: string): Promise<ChannelRecord | null>;
  /** @throws VigilError VIGIL_ERR_CONFLICT when the name is taken. */
  create(c: ChannelRecord): Promise<void>;
  /** @throws VigilError VIGIL_ERR_CONFLICT when the new name is taken. */
  update(c: ChannelRecord): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Updates health counters; returns the consecutive failure count after the update. */
  recordOutcome(id: string, outcome: ChannelOutcome): Promise<number>;
}

/** A stored receiver (named set of channels and users). */
export interface ReceiverRecord {
  id: string;
  name: string;
  channelIds: string[];
  userIds: string[];
  createdAt: number;
  updatedAt: number;
}

/** Receivers. Names are unique. */
export interface ReceiverRepo {
  list(): Promise<ReceiverRecord[]>;
  get(id: string): Promise<ReceiverRecord | null>;
  getByName(name: string): Promise<ReceiverRecord | null>;
  /** @throws VigilError VIGIL_ERR_CONFLICT when the name is taken. */
  create(r: ReceiverRecord): Promise<void>;
  update(r: ReceiverRecord): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}
