import type { LabelMatcher, MaintenanceSchedule } from '../../protocol/alerting.js';

/** A stored silence. */
export interface SilenceRecord {
  id: string;
  matchers: LabelMatcher[];
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** Silences. Expiring a silence sets `endsAt`; rows are pruned some time after they end. */
export interface SilenceRepo {
  /** Silences ending after `endsAfter` (ms), newest first. */
  list(endsAfter: number): Promise<SilenceRecord[]>;
  get(id: string): Promise<SilenceRecord | null>;
  upsert(s: SilenceRecord): Promise<void>;
  /** Deletes silences that ended before `before` (ms). */
  prune(before: number): Promise<number>;
}

/** A stored recurring maintenance window. */
export interface MaintenanceWindowRecord {
  id: string;
  name: string;
  schedule: MaintenanceSchedule;
  timeZone: string;
  matchers: LabelMatcher[];
  enabled: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** Maintenance windows. */
export interface MaintenanceWindowRepo {
  list(): Promise<MaintenanceWindowRecord[]>;
  get(id: string): Promise<MaintenanceWindowRecord | null>;
  upsert(w: MaintenanceWindowRecord): Promise<void>;
  delete(id: string): Promise<boolean>;
}
