import { formatDuration, parseDuration, ParseError } from '../../../protocol/duration.js';
import { isLabelName, parseSelector, printSelector, type Selector } from '../../../protocol/selector.js';
import { errors } from '../../core/errors.js';

/** Comparison operators of threshold-like rules. */
export const COMPARISONS = ['>', '>=', '<', '<='] as const;
/** A comparison operator. */
export type Comparison = (typeof COMPARISONS)[number];

/** Reads fields of a raw `spec` object with errors that name `spec.<field>`. */
export class SpecReader {
  private readonly raw: Record<string, unknown>;

  constructor(raw: unknown, private readonly allowed: readonly string[]) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw errors.validation('spec must be an object', { field: 'spec' });
    this.raw = raw as Record<string, unknown>;
    const unknown = Object.keys(this.raw).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) throw errors.validation(`spec: unknown field ${unknown[0]}; allowed: ${allowed.join(', ')}`, { field: `spec.${unknown[0]}` });
  }

  private fail(field: string, message: string): never {
    throw errors.validation(`spec.${field} ${message}`, { field: `spec.${field}` });
  }

  selector(field = 'selector'): Selector {
    const v = this.raw[field];
    if (typeof v !== 'string' || v.trim() === '') this.fail(field, 'must be a series selector such as cpu_usage_percent{cpu="total"}');
    try {
      return parseSelector(v);
    } catch (err) {
      this.fail(field, err instanceof ParseError ? `: ${err.message}` : 'is invalid');
    }
  }

  number(field: string, opts: { optional: true }): number | null;
  number(field: string, opts?: { optional?: false }): number;
  number(field: string, opts: { optional?: boolean } = {}): number | null {
    const v = this.raw[field];
    if ((v === undefined || v === null) && opts.optional) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, 'must be a finite number');
    return v;
  }

  duration(field: string, fallback: number, min = 1000, max = 31 * 86_400_000): number {
    const v = this.raw[field];
    if (v === undefined || v === null) return fallback;
    let ms: number;
    try {
      ms = parseDuration(v as string);
    } catch (err) {
      this.fail(field, err instanceof ParseError ? `: ${err.message}` : 'must be a duration like "5m"');
    }
    if (ms < min || ms > max) this.fail(field, `must be between ${formatDuration(min)} and ${formatDuration(max)}`);
    return ms;
  }

  choice<T extends string>(field: string, choices: readonly T[], fallback: T): T {
    const v = this.raw[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' || !choices.includes(v as T)) this.fail(field, `must be one of ${choices.join(', ')}`);
    return v as T;
  }

  labelNames(field: string, fallback: string[]): string[] {
    const v = this.raw[field];
    if (v === undefined || v === null) return fallback;
    if (!Array.isArray(v) || v.length > 16 || v.some((x) => typeof x !== 'string' || !isLabelName(x))) this.fail(field, 'must be a list of up to 16 label names');
    return [...new Set(v as string[])];
  }
}

/** True when `value op threshold`. */
export function crosses(op: Comparison, value: number, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** Warning/critical/recovery levels of one comparison (Netdata-style hysteresis). */
export interface Thresholds {
  op: Comparison;
  warning: number | null;
  critical: number | null;
  /** Once active, the alert stays active until the value is past this on the safe side. */
  recovery: number | null;
}

/** Reads `op`, `warning`, `critical`, `recovery` and checks that they are consistent. */
export function readThresholds(r: SpecReader): Thresholds {
  const op = r.choice('op', COMPARISONS, '>');
  const warning = r.number('warning', { optional: true });
  const critical = r.number('critical', { optional: true });
  const recovery = r.number('recovery', { optional: true });
  const fail = (field: string, message: string) => {
    throw errors.validation(`spec.${field} ${message}`, { field: `spec.${field}` });
  };
  if (warning === null && critical === null) fail('critical', 'or spec.warning is required');
  const upward = op === '>' || op === '>=';
  if (warning !== null && critical !== null && (upward ? critical < warning : critical > warning)) fail('critical', `must be ${upward ? 'at least' : 'at most'} spec.warning for op ${op}`);
  const lowest = upward ? Math.min(...[warning, critical].filter((x): x is number => x !== null)) : Math.max(...[warning, critical].filter((x): x is number => x !== null));
  if (recovery !== null && (upward ? recovery > lowest : recovery < lowest)) fail('recovery', `must be on the safe side of the thresholds (${upward ? '≤' : '≥'} ${lowest})`);
  return { op, warning, critical, recovery };
}

/**
 * The level for `value`: the most severe threshold crossed; when none is crossed but an alert is
 * active and the value has not yet passed `recovery`, the least severe configured level (so a
 * value oscillating around the threshold does not flap).
 */
export function levelFor(t: Thresholds, value: number, active: 'critical' | 'warning' | 'info' | null): { level: 'critical' | 'warning' | null; threshold: number | null } {
  if (t.critical !== null && crosses(t.op, value, t.critical)) return { level: 'critical', threshold: t.critical };
  if (t.warning !== null && crosses(t.op, value, t.warning)) return { level: 'warning', threshold: t.warning };
  const least = t.warning !== null ? ('warning' as const) : ('critical' as const);
  const leastValue = (t.warning ?? t.critical) as number;
  if (active !== null && t.recovery !== null) {
    const upward = t.op === '>' || t.op === '>=';
    const recovered = upward ? value <= t.recovery : value >= t.recovery;
    if (!recovered) return { level: least, threshold: leastValue };
  }
  return { level: null, threshold: leastValue };
}

/** Prints a selector for a spec (`printSelector`, re-exported for the rule types). */
export function selectorText(s: Selector): string {
  return printSelector(s);
}

/** Formats ms as a duration string for printed specs. */
export function durationText(ms: number): string {
  return formatDuration(ms);
}
