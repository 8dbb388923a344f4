import type { AlertSeverity } from '../../protocol/alerting.js';

/** A stored alert rule. `spec` is the rule type's printed (input-form) spec. */
export interface AlertRuleRecord {
  id: string;
  name: string;
  description: string;
  type: string;
  spec: Record<string, unknown>;
  severity: AlertSeverity;
  labels: Record<string, string>;
  /** Pending time before firing, ms. */
  forMs: number;
  /** Time an alert keeps firing after the condition cleared, ms. */
  keepFiringForMs: number;
  /** Periodic evaluation interval, ms. */
  intervalMs: number;
  runbookUrl: string | null;
  suggestedFixes: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  /** Starts at 1; each update increments it. */
  version: number;
}

/** Alert rules. Names are unique. */
export interface AlertRuleRepo {
  list(): Promise<AlertRuleRecord[]>;
  get(id: string): Promise<AlertRuleRecord | null>;
  getByName(name: string): Promise<AlertRuleRecord | null>;
  /** @throws VigilError VIGIL_ERR_CONFLICT when the name is taken. */
  create(rule: AlertRuleRecord): Promise<void>;
  /** Replaces the rule when its stored version is `expectedVersion`; false otherwise (or missing). */
  update(rule: AlertRuleRecord, expectedVersion: number): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}
