import type { SecurityEvent } from '../../../src/protocol/security.js';
import { chooseStep } from '../time/time-range.js';

/** Half-width of the window around an event for related events and host charts: 10 min, in ms. */
export const RELATED_WINDOW_MS = 10 * 60_000;

/** The ±10 min window around an event, ms since epoch. */
export function windowAround(ts: number, halfWidthMs = RELATED_WINDOW_MS): { start: number; end: number } {
  return { start: ts - halfWidthMs, end: ts + halfWidthMs };
}

/**
 * Finest bucket of the context charts, ms: 30 s gives 40 buckets over the 20 min window and
 * bridges agents that collect less often than every 10 s (finer buckets would leave gaps, and
 * uPlot draws no line across a gap).
 */
export const CONTEXT_STEP_FLOOR_MS = 30_000;

/** Axis and query window of a host chart around an event. */
export interface ContextWindow {
  /** Axis span: the ±10 min around the event, ms since epoch. */
  start: number;
  end: number;
  /** Query window: `start` aligned down to `step`, ending at "now" when the axis reaches into the future. */
  queryStart: number;
  queryEnd: number;
  step: number;
}

/**
 * The window of the host charts of an event at `ts`, given the server's `now` (ms). The query
 * never asks for the future, but always spans at least one bucket.
 */
export function contextWindow(ts: number, now: number): ContextWindow {
  const { start, end } = windowAround(ts);
  const step = chooseStep(end - start, CONTEXT_STEP_FLOOR_MS);
  const queryStart = Math.floor(start / step) * step;
  return { start, end, queryStart, queryEnd: Math.max(queryStart + step, Math.min(end, now)), step };
}

/**
 * The attack.mitre.org page of a technique id (`T1110` or `T1110.001`), or null for anything
 * else — an agent-supplied string never becomes a link unless it has exactly this form.
 */
export function mitreUrl(technique: string | undefined | null): string | null {
  if (!technique) return null;
  const m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(technique);
  if (!m) return null;
  return m[2] ? `https://attack.mitre.org/techniques/T${m[1]}/${m[2]}/` : `https://attack.mitre.org/techniques/T${m[1]}/`;
}

/** One metadata row as text: the key and its value (strings as they are, the rest as JSON). */
export function metadataRows(metadata: Record<string, unknown> | undefined): [string, string][] {
  if (!metadata) return [];
  return Object.entries(metadata).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)]);
}

/** The source IP an event carries in its metadata (`src_ip`), or null. */
export function sourceIp(e: SecurityEvent): string | null {
  const ip = e.metadata?.src_ip;
  return typeof ip === 'string' && ip.length > 0 && ip.length <= 64 ? ip : null;
}

/** Triage actions offered for an event in `state` (the target states the buttons set). */
export function triageActions(state: SecurityEvent['triage']): SecurityEvent['triage'][] {
  switch (state) {
    case 'new':
      return ['acknowledged', 'resolved', 'false_positive'];
    case 'acknowledged':
      return ['resolved', 'false_positive'];
    case 'resolved':
      return ['acknowledged', 'false_positive'];
    case 'false_positive':
      return ['new'];
  }
}

/** Button label of a triage target state. */
export function triageLabel(state: SecurityEvent['triage']): string {
  switch (state) {
    case 'new':
      return 'Reopen';
    case 'acknowledged':
      return 'Acknowledge';
    case 'resolved':
      return 'Resolve';
    case 'false_positive':
      return 'False positive';
  }
}
