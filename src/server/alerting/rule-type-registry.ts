import type { AlertSeverity } from '../../protocol/alerting.js';
import type { Selector } from '../../protocol/selector.js';
import type { Labels } from '../core/labels.js';
import { errors } from '../core/errors.js';

/**
 * The outcome of evaluating one alert candidate (a series, or a group of series):
 * - a severity: the condition holds at that level;
 * - `null`: the condition does not hold (the value is normal);
 * - `'nodata'`: nothing to judge (series stale or window empty) — the lifecycle keeps its state
 *   until data returns or the rule's no-data timeout passes, so a silent agent or a server restart
 *   never produces a spurious resolve.
 */
export type Level = AlertSeverity | null | 'nodata';

/** One evaluated candidate. `key` identifies it within the rule (stable across evaluations). */
export interface Observation {
  key: string;
  /** Labels of the candidate (series labels, or the grouping labels). */
  labels: Labels;
  level: Level;
  /** The evaluated value (e.g. the 5-minute average), or null. */
  value: number | null;
  /** The threshold that was crossed (or, when normal, the one closest to crossing), or null. */
  threshold: number | null;
  /** Extra annotations for the alert (e.g. the summary of a system alert). */
  annotations?: Record<string, string>;
}

/** Reads stored history for backfill and interval evaluation (samples already durable). */
export interface HistoryReader {
  /** Raw samples of the series matching `selector` in `[start, end)`. */
  readRaw(selector: Selector, start: number, end: number): Promise<{ metric: string; labels: Labels; ts: number[]; values: number[] }[]>;
  /** Newest sample of each series matching `selector`. */
  latest(selector: Selector): Promise<{ metric: string; labels: Labels; ts: number; value: number }[]>;
}

/** Severity lookup of the currently active alert of a candidate key (for hysteresis). */
export type ActiveLevel = (key: string) => AlertSeverity | null;

/**
 * A live evaluator of one rule. The engine feeds every committed sample of a matching series to
 * `observe` (incremental evaluation on ingest, no storage query) and calls `evaluate` every rule
 * interval (time-based conditions, staleness). Implementations keep bounded per-series state.
 */
export interface RuleEvaluator {
  /** History needed to rebuild state after a restart or rule change (ms before now; 0 = none). */
  readonly historyMs: number;
  /**
   * Feeds one sample of a series matching the rule's selector. Returns the fresh observation of
   * the affected candidate when the rule is decided on each sample (threshold), else null.
   */
  observe(seriesKey: string, labels: Labels, ts: number, value: number, active: ActiveLevel): Observation | null;
  /** Evaluates every candidate at `at` (ms). May read history (forecast/anomaly types). */
  evaluate(at: number, active: ActiveLevel): Observation[] | Promise<Observation[]>;
  /** Rebuilds state from stored history (called once after creation, before the first sample). */
  backfill?(history: HistoryReader, at: number): Promise<void>;
}

/** Static facts about a rule's spec that the engine and the UI use. */
export interface RuleSpecInfo {
  /** Series the rule reads. */
  selector: Selector;
  /** Thresholds for charts and notifications (null where the type has none). */
  thresholds: { warning: number | null; critical: number | null; recovery: number | null };
  /** One-line human description of the condition, e.g. `avg(5m) of cpu_usage_percent > 90`. */
  summary: string;
}

/** Context a rule type gets to build an evaluator. */
export interface EvaluatorContext {
  /** Severity for types without per-level thresholds (the rule's `severity`). */
  severity: AlertSeverity;
  /** When the engine (re)started or the rule was loaded, ms: silence before it is not the source's fault. */
  startedAt: number;
}

/**
 * One rule type (threshold, absence, rate of change; forecast and anomaly types register later).
 * The engine and the API only talk to this interface — nothing switches on the type string.
 */
export interface RuleType<Spec = unknown> {
  type: string;
  title: string;
  /**
   * Shortest evaluation interval rules of this type accept, ms (CPU-heavy types, e.g. forecast:
   * 1 min). Rules without an explicit interval get at least this. Absent: no minimum beyond 1 s.
   */
  minIntervalMs?: number;
  /** Validates and normalizes a raw spec. @throws VigilError VIGIL_ERR_VALIDATION naming `spec.<field>`. */
  parseSpec(raw: unknown): Spec;
  /** Writes a normalized spec back in its input form (durations as strings). */
  printSpec(spec: Spec): Record<string, unknown>;
  info(spec: Spec): RuleSpecInfo;
  createEvaluator(spec: Spec, ctx: EvaluatorContext): RuleEvaluator;
}

/** A rule type of any spec, for the registry's heterogeneous list. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRuleType = RuleType<any>;

/** The registry of rule types; built once at startup and shared by the engine, API and CLI. */
export class RuleTypeRegistry {
  private readonly types = new Map<string, AnyRuleType>();

  constructor(types: readonly AnyRuleType[] = []) {
    for (const t of types) this.register(t);
  }

  /** Adds a rule type. @throws Error when the type name is taken (a programming error). */
  register(type: AnyRuleType): void {
    if (this.types.has(type.type)) throw new Error(`rule type ${type.type} is already registered`);
    this.types.set(type.type, type);
  }

  /** The rule type named `type`. @throws VigilError VIGIL_ERR_VALIDATION listing the known types. */
  get(type: string): AnyRuleType {
    const t = this.types.get(type);
    if (!t) throw errors.validation(`type must be one of ${[...this.types.keys()].join(', ')}`, { field: 'type' });
    return t;
  }

  list(): AnyRuleType[] {
    return [...this.types.values()];
  }
}
