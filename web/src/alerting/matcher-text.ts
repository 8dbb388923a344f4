import type { LabelMatcher } from '../../../src/protocol/alerting.js';
import { ParseError, parseSelector } from '../../../src/protocol/selector.js';

/** Matchers as one line of text, e.g. `host="web-1", cpu=~"0|1"`. */
export function formatMatcherText(matchers: readonly LabelMatcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(', ');
}

/**
 * Parses `host="web-1", cpu=~"0|1"` (braces optional) with the protocol's selector parser, so the
 * browser rejects exactly what the server would. Returns an error message instead of throwing.
 */
export function parseMatcherText(text: string): { matchers: LabelMatcher[] } | { error: string } {
  const t = text.trim();
  if (t === '') return { matchers: [] };
  try {
    const s = parseSelector(t.startsWith('{') ? t : `{${t}}`);
    return { matchers: s.matchers.map((m) => ({ name: m.name, op: m.op, value: m.value })) };
  } catch (err) {
    return { error: err instanceof ParseError ? err.message : 'invalid matchers' };
  }
}

/** Matchers that select exactly one alert: every label except severity, with `=`. */
export function matchersForAlert(labels: Record<string, string>): LabelMatcher[] {
  return Object.entries(labels)
    .filter(([k]) => k !== 'severity' && k !== 'vigil_avoid_channel')
    .map(([name, value]) => ({ name, op: '=' as const, value }));
}
