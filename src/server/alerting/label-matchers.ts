import type { LabelMatcher } from '../../protocol/alerting.js';
import { compileMatcher, parseSelector, printSelector, ParseError } from '../../protocol/selector.js';
import type { Labels } from '../core/labels.js';
import { errors } from '../core/errors.js';

/** Most matchers one silence, route or window may hold. */
export const MAX_MATCHERS = 32;

const OPS = new Set(['=', '!=', '=~', '!~']);

/**
 * Validates user-supplied matchers (`field` names the input in error messages). Regexes get the
 * selector parser's safety checks (anchored, no nested quantifiers or backreferences), because
 * label values come from agents and a matcher must never pin the event loop.
 * @throws VigilError VIGIL_ERR_VALIDATION naming the bad entry.
 */
export function parseLabelMatchers(raw: unknown, field: string): LabelMatcher[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw errors.validation(`${field} must be a list of {name, op, value}`, { field });
  if (raw.length > MAX_MATCHERS) throw errors.validation(`${field}: at most ${MAX_MATCHERS} matchers`, { field });
  const out: LabelMatcher[] = [];
  raw.forEach((m, i) => {
    if (typeof m !== 'object' || m === null) throw errors.validation(`${field}[${i}] must be an object {name, op, value}`, { field });
    const { name, op, value } = m as Record<string, unknown>;
    if (typeof name !== 'string' || typeof value !== 'string' || typeof op !== 'string' || !OPS.has(op)) {
      throw errors.validation(`${field}[${i}] needs a label name, an op (= != =~ !~) and a string value`, { field });
    }
    out.push({ name, op: op as LabelMatcher['op'], value });
  });
  if (out.length > 0) {
    try {
      parseSelector(printSelector({ metric: null, matchers: out }));
    } catch (err) {
      throw errors.validation(`${field}: ${err instanceof ParseError ? err.message : 'invalid matcher'}`, { field });
    }
  }
  return out;
}

/** Parses matchers written as selector text, e.g. `{severity="critical", host=~"web-.*"}`. */
export function matchersFromText(text: string): LabelMatcher[] {
  const s = parseSelector(text.trim().startsWith('{') ? text : `{${text}}`);
  return s.matchers.map((m) => ({ name: m.name, op: m.op, value: m.value }));
}

/** Compiles matchers into one predicate over a label set (an absent label reads as ""). All must match. */
export function compileLabelMatchers(matchers: readonly LabelMatcher[]): (labels: Labels) => boolean {
  const compiled = matchers.map((m) => ({ name: m.name, test: compileMatcher(m) }));
  return (labels) => {
    for (const c of compiled) if (!c.test(labels[c.name] ?? '')) return false;
    return true;
  };
}

/** Canonical text of matchers, e.g. `{a="1",b=~"x.*"}`, for display and audit details. */
export function formatMatchers(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(',')}}`;
}
