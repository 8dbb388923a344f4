import { createHash } from 'node:crypto';
import type { AlertSeverity, AlertState, TransitionKind } from '../../protocol/alerting.js';
import { formatDuration } from '../../protocol/duration.js';
import type { Labels } from '../core/labels.js';
import type { AlertRecord, TransitionRecord } from '../storage/alert-repo.js';
import type { Observation } from './rule-type-registry.js';

/** An alert instance as the engine works on it (the record without the repository's counter). */
export type AlertInstance = Omit<AlertRecord, 'seq'>;

/** Flap detection settings: a window, and how many firing↔resolved changes in it mean flapping. */
export interface FlapSettings {
  windowMs: number;
  /** Changes within the window that start flapping (default 6). */
  startAt: number;
  /** Changes within the window at or below which a flapping alert is stable again (default 2). */
  stableAt: number;
}

/** Default flap detection: 6 changes within 1 h start flapping; 2 or fewer end it. */
export const DEFAULT_FLAP: FlapSettings = { windowMs: 3_600_000, startAt: 6, stableAt: 2 };

/** Lifecycle settings of one rule. */
export interface LifecycleSettings {
  forMs: number;
  keepFiringForMs: number;
  /** An active alert whose data stays missing this long resolves with reason "no data" (ms). */
  noDataResolveMs: number;
  flap: FlapSettings;
}

/** Default no-data timeout, ms (1 h): longer than any ordinary agent restart or network blip. */
export const DEFAULT_NO_DATA_RESOLVE_MS = 3_600_000;
/** Flap history entries kept per alert. */
const FLAP_HISTORY_MAX = 32;

function sha(text: string, n: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, n);
}

/** Stable alert id of candidate `key` of rule `ruleId`. */
export function alertId(ruleId: string, key: string): string {
  return sha(`${ruleId}\u0000${key}`, 24);
}

/** Fingerprint of a label set, ignoring `severity` (which changes within one episode). */
export function fingerprint(labels: Labels): string {
  const names = Object.keys(labels).filter((n) => n !== 'severity').sort();
  return sha(JSON.stringify(names.map((n) => [n, labels[n]])), 16);
}

/** A new, inactive instance for an observation. */
export function newAlert(ruleId: string, obs: Observation, labels: Record<string, string>, at: number): AlertInstance {
  return {
    id: alertId(ruleId, obs.key),
    ruleId,
    key: obs.key,
    fingerprint: fingerprint(labels),
    labels,
    annotations: {},
    state: 'inactive',
    severity: 'info',
    value: obs.value,
    threshold: obs.threshold,
    activeSince: null,
    firingSince: null,
    resolvedAt: null,
    lastTrueAt: null,
    lastEvalAt: at,
    ack: null,
    suppressedBy: [],
    flapping: false,
    flapHistory: [],
    updatedAt: at,
  };
}

function fmt(v: number | null): string {
  if (v === null) return 'n/a';
  return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toPrecision(4);
}

/** Collects transitions of one apply call. */
class Recorder {
  readonly out: TransitionRecord[] = [];
  constructor(
    private readonly a: AlertInstance,
    private readonly at: number,
  ) {}
  add(kind: TransitionKind, from: AlertState, to: AlertState, reason: string, actor: string | null = null): void {
    this.out.push({ alertId: this.a.id, ts: this.at, kind, from, to, severity: this.a.severity, value: this.a.value, reason, actor });
  }
}

/**
 * Applies one observation to an alert at time `at` (ms), mutating it, and returns the transitions
 * to store. Rules: condition true → pending (or firing when `for` is 0) → firing once it held for
 * `for`; condition false → pending drops to inactive, firing resolves (after `keep_firing_for`);
 * no data → nothing changes until the no-data timeout. Severity changes while firing are recorded.
 */
export function applyObservation(a: AlertInstance, obs: Observation, s: LifecycleSettings, at: number): TransitionRecord[] {
  const rec = new Recorder(a, at);
  // (Recorder is two fields and an empty array: cheap enough per evaluation.)
  a.lastEvalAt = at;
  if (obs.level === 'nodata') {
    noData(a, s, at, rec);
    return rec.out;
  }
  a.value = obs.value;
  a.threshold = obs.threshold;
  if (obs.level !== null) conditionTrue(a, obs.level, s, at, rec);
  else conditionFalse(a, s, at, rec);
  return rec.out;
}

function conditionTrue(a: AlertInstance, level: AlertSeverity, s: LifecycleSettings, at: number, rec: Recorder): void {
  a.lastTrueAt = at;
  // Built only when a transition is recorded: firing alerts are re-evaluated on every sample.
  const why = () => `value ${fmt(a.value)} crossed ${a.threshold === null ? 'the condition' : `threshold ${fmt(a.threshold)}`} (${level})`;
  if (a.state === 'inactive' || a.state === 'resolved') {
    const from = a.state;
    a.severity = level;
    a.activeSince = at;
    a.resolvedAt = null;
    a.ack = null;
    if (s.forMs === 0) {
      a.state = 'firing';
      a.firingSince = at;
      rec.add('state', from, 'firing', why());
      flapChange(a, s.flap, at, rec);
    } else {
      a.state = 'pending';
      a.firingSince = null;
      rec.add('state', from, 'pending', `${why()}; firing if it holds for ${formatDuration(s.forMs)}`);
    }
    return;
  }
  if (a.state === 'pending') {
    a.severity = level;
    if (at - (a.activeSince ?? at) >= s.forMs) {
      a.state = 'firing';
      a.firingSince = at;
      rec.add('state', 'pending', 'firing', `condition held for ${formatDuration(s.forMs)}; ${why()}`);
      flapChange(a, s.flap, at, rec);
    }
    return;
  }
  if (level !== a.severity) {
    const from = a.severity;
    a.severity = level;
    rec.add('severity', 'firing', 'firing', `severity ${from} → ${level}: value ${fmt(a.value)}`);
  }
}

function conditionFalse(a: AlertInstance, s: LifecycleSettings, at: number, rec: Recorder): void {
  if (a.state === 'pending') {
    a.state = 'inactive';
    a.activeSince = null;
    rec.add('state', 'pending', 'inactive', `condition cleared before ${formatDuration(s.forMs)} elapsed (value ${fmt(a.value)})`);
  } else if (a.state === 'firing') {
    if (s.keepFiringForMs > 0 && at - (a.lastTrueAt ?? at) < s.keepFiringForMs) return;
    resolve(a, at, rec, `condition cleared (value ${fmt(a.value)})${s.keepFiringForMs > 0 ? ` and stayed clear for ${formatDuration(s.keepFiringForMs)}` : ''}`);
    flapChange(a, s.flap, at, rec);
  }
}

function noData(a: AlertInstance, s: LifecycleSettings, at: number, rec: Recorder): void {
  if (a.state !== 'pending' && a.state !== 'firing') return;
  if (at - (a.lastTrueAt ?? at) < s.noDataResolveMs) return;
  a.value = null;
  const why = `no data for ${formatDuration(s.noDataResolveMs)}`;
  if (a.state === 'pending') {
    a.state = 'inactive';
    a.activeSince = null;
    rec.add('state', 'pending', 'inactive', why);
  } else resolve(a, at, rec, why);
}

function resolve(a: AlertInstance, at: number, rec: Recorder, reason: string): void {
  a.state = 'resolved';
  a.resolvedAt = at;
  a.activeSince = null;
  rec.add('state', 'firing', 'resolved', reason);
  if (a.ack) a.ack = null;
}

function flapChange(a: AlertInstance, f: FlapSettings, at: number, rec: Recorder): void {
  a.flapHistory.push(at);
  if (a.flapHistory.length > FLAP_HISTORY_MAX) a.flapHistory.splice(0, a.flapHistory.length - FLAP_HISTORY_MAX);
  checkFlapping(a, f, at, rec);
}

function checkFlapping(a: AlertInstance, f: FlapSettings, at: number, rec: Recorder): void {
  const recent = a.flapHistory.filter((t) => t > at - f.windowMs).length;
  if (!a.flapping && recent >= f.startAt) {
    a.flapping = true;
    rec.add('flapping', a.state, a.state, `${recent} firing/resolved changes within ${formatDuration(f.windowMs)}: notifications are held until it is stable`);
  } else if (a.flapping && recent <= f.stableAt) {
    a.flapping = false;
    rec.add('stable', a.state, a.state, `only ${recent} changes within ${formatDuration(f.windowMs)}: stable again`);
  }
}

/** Re-checks flapping as time passes (a flapping alert becomes stable without new changes). */
export function refreshFlapping(a: AlertInstance, f: FlapSettings, at: number): TransitionRecord[] {
  if (!a.flapping) return [];
  const rec = new Recorder(a, at);
  checkFlapping(a, f, at, rec);
  return rec.out;
}

/** Acknowledges an active alert; returns the transition, or null when it is not active. */
export function acknowledge(a: AlertInstance, by: string, comment: string, expiresAt: number | null, at: number): TransitionRecord | null {
  if (a.state !== 'firing' && a.state !== 'pending') return null;
  a.ack = { by, comment, at, expiresAt };
  const rec = new Recorder(a, at);
  rec.add('ack', a.state, a.state, comment ? `acknowledged: ${comment}` : 'acknowledged', by);
  return rec.out[0] as TransitionRecord;
}

/** Removes an acknowledgement (by a user, or `system` when it expired). */
export function unacknowledge(a: AlertInstance, actor: string, reason: string, at: number): TransitionRecord | null {
  if (!a.ack) return null;
  a.ack = null;
  const rec = new Recorder(a, at);
  rec.add('unack', a.state, a.state, reason, actor);
  return rec.out[0] as TransitionRecord;
}
