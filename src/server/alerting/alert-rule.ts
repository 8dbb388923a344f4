import { ALERT_SEVERITIES, type AlertSeverity, type RuleInput, type RuleView } from '../../protocol/alerting.js';
import { formatDuration, parseDuration, ParseError } from '../../protocol/duration.js';
import { LABEL_NAME_RE, WIRE_LIMITS } from '../../protocol/limits.js';
import { errors } from '../core/errors.js';
import type { AlertRuleRecord } from '../storage/alert-rule-repo.js';
import type { AnyRuleType, RuleSpecInfo, RuleTypeRegistry } from './rule-type-registry.js';

/** Labels a rule may not set itself (the engine owns them). */
export const RESERVED_RULE_LABELS = ['alertname', 'severity'] as const;
/** Longest rule name, characters. */
export const RULE_NAME_MAX = 128;
/** Longest description or suggested-fixes text, characters. */
export const RULE_TEXT_MAX = 4000;
/** Default periodic evaluation interval, ms. */
export const DEFAULT_RULE_INTERVAL_MS = 30_000;

/** A rule with its type resolved and spec parsed, ready for evaluation. */
export interface CompiledRule {
  record: AlertRuleRecord;
  type: AnyRuleType;
  spec: unknown;
  info: RuleSpecInfo;
}

/** The rule fields a user controls, validated and normalized (durations in ms). */
export type RuleFields = Omit<AlertRuleRecord, 'id' | 'createdAt' | 'updatedAt' | 'createdBy' | 'version'>;

function text(raw: unknown, field: string, max: number, fallback = ''): string {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'string' || raw.length > max) throw errors.validation(`${field} must be a string of at most ${max} characters`, { field });
  return raw;
}

function duration(raw: unknown, field: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === null) return fallback;
  let ms: number;
  try {
    ms = parseDuration(raw as string);
  } catch (err) {
    throw errors.validation(`${field}: ${err instanceof ParseError ? err.message : 'must be a duration like "5m"'}`, { field });
  }
  if (ms < min || ms > max) throw errors.validation(`${field} must be between ${formatDuration(min)} and ${formatDuration(max)}`, { field });
  return ms;
}

function labels(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw errors.validation('labels must be an object of name → value', { field: 'labels' });
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 16) throw errors.validation('labels: at most 16 labels', { field: 'labels' });
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!LABEL_NAME_RE.test(k) || k.startsWith('__')) throw errors.validation(`labels: "${k.slice(0, 50)}" is not a label name`, { field: 'labels' });
    if ((RESERVED_RULE_LABELS as readonly string[]).includes(k)) throw errors.validation(`labels: "${k}" is set by Vigil`, { field: 'labels' });
    if (typeof v !== 'string' || v.length > WIRE_LIMITS.labelValueMax) throw errors.validation(`labels.${k} must be a string of at most ${WIRE_LIMITS.labelValueMax} characters`, { field: `labels.${k}` });
    out[k] = v;
  }
  return out;
}

function runbookUrl(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  let url: URL | null = null;
  try {
    url = typeof raw === 'string' && raw.length <= 2048 ? new URL(raw) : null;
  } catch {
    url = null;
  }
  // Only http(s): the URL is rendered as a link in the dashboard and in notifications.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw errors.validation('runbookUrl must be an http(s) URL', { field: 'runbookUrl' });
  return url.toString();
}

/** The rule's evaluation interval: at least the type's minimum (the default is raised to it). */
function intervalFor(raw: unknown, type: AnyRuleType): number {
  const min = type.minIntervalMs ?? 1000;
  const ms = duration(raw, 'interval', Math.max(DEFAULT_RULE_INTERVAL_MS, min), 1000, 3_600_000);
  if (ms < min) throw errors.validation(`interval must be at least ${formatDuration(min)} for ${type.type} rules`, { field: 'interval' });
  return ms;
}

/**
 * Validates a user-supplied rule (API body or YAML entry) against the registry and normalizes it.
 * @throws VigilError VIGIL_ERR_VALIDATION whose details name the field.
 */
export function parseRuleInput(raw: unknown, registry: RuleTypeRegistry): RuleFields {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw errors.validation('a rule must be an object');
  const r = raw as Record<string, unknown>;
  const name = text(r.name, 'name', RULE_NAME_MAX).trim();
  // eslint-disable-next-line no-control-regex
  if (name === '' || /[\x00-\x1f\x7f]/.test(name)) throw errors.validation('name must be 1-128 printable characters', { field: 'name' });
  if (typeof r.type !== 'string') throw errors.validation('type is required', { field: 'type' });
  const type = registry.get(r.type);
  const spec = type.parseSpec(r.spec);
  const severity = r.severity ?? 'warning';
  if (!ALERT_SEVERITIES.includes(severity as AlertSeverity)) throw errors.validation(`severity must be one of ${ALERT_SEVERITIES.join(', ')}`, { field: 'severity' });
  if (r.enabled !== undefined && typeof r.enabled !== 'boolean') throw errors.validation('enabled must be true or false', { field: 'enabled' });
  return {
    name,
    description: text(r.description, 'description', RULE_TEXT_MAX),
    type: type.type,
    spec: type.printSpec(spec),
    severity: severity as AlertSeverity,
    labels: labels(r.labels),
    forMs: duration(r.for, 'for', 0, 0, 7 * 86_400_000),
    keepFiringForMs: duration(r.keepFiringFor, 'keepFiringFor', 0, 0, 7 * 86_400_000),
    intervalMs: intervalFor(r.interval, type),
    runbookUrl: runbookUrl(r.runbookUrl),
    suggestedFixes: r.suggestedFixes === undefined || r.suggestedFixes === null || r.suggestedFixes === '' ? null : text(r.suggestedFixes, 'suggestedFixes', RULE_TEXT_MAX),
    enabled: r.enabled === undefined ? true : (r.enabled as boolean),
  };
}

/** Resolves the type and parses the stored spec. @throws VigilError when the type is no longer registered. */
export function compileRule(record: AlertRuleRecord, registry: RuleTypeRegistry): CompiledRule {
  const type = registry.get(record.type);
  const spec = type.parseSpec(record.spec);
  return { record, type, spec, info: type.info(spec) };
}

/** The API view of a stored rule. */
export function ruleView(r: AlertRuleRecord): RuleView {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    type: r.type,
    spec: r.spec,
    severity: r.severity,
    labels: r.labels,
    for: formatDuration(r.forMs),
    keepFiringFor: formatDuration(r.keepFiringForMs),
    interval: formatDuration(r.intervalMs),
    runbookUrl: r.runbookUrl,
    suggestedFixes: r.suggestedFixes,
    enabled: r.enabled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    version: r.version,
  };
}

/** The rules-as-code form of a stored rule (defaults omitted). */
export function ruleInputOf(r: AlertRuleRecord): RuleInput {
  const out: RuleInput = { name: r.name, type: r.type, spec: r.spec };
  if (r.description) out.description = r.description;
  if (r.severity !== 'warning') out.severity = r.severity;
  if (Object.keys(r.labels).length) out.labels = r.labels;
  if (r.forMs) out.for = formatDuration(r.forMs);
  if (r.keepFiringForMs) out.keepFiringFor = formatDuration(r.keepFiringForMs);
  if (r.intervalMs !== DEFAULT_RULE_INTERVAL_MS) out.interval = formatDuration(r.intervalMs);
  if (r.runbookUrl) out.runbookUrl = r.runbookUrl;
  if (r.suggestedFixes) out.suggestedFixes = r.suggestedFixes;
  if (!r.enabled) out.enabled = false;
  return out;
}
