import type { InhibitRule, Suppression } from '../../protocol/alerting.js';
import type { Labels } from '../core/labels.js';
import type { MaintenanceWindowRecord, SilenceRecord } from '../storage/silence-repo.js';
import { compileLabelMatchers, formatMatchers } from './label-matchers.js';
import { compileSchedule, type CompiledSchedule } from './maintenance-schedule.js';

/** What the suppressor needs to know about an alert. */
export interface SuppressibleAlert {
  id: string;
  labels: Labels;
  state: string;
}

interface CompiledSilence {
  s: SilenceRecord;
  matches: (l: Labels) => boolean;
}

interface CompiledWindow {
  w: MaintenanceWindowRecord;
  schedule: CompiledSchedule;
  matches: (l: Labels) => boolean;
}

interface CompiledInhibit {
  source: (l: Labels) => boolean;
  target: (l: Labels) => boolean;
  equal: string[];
  text: string;
}

/**
 * Decides which alerts are silenced, inside a maintenance window, or inhibited by another firing
 * alert (Alertmanager semantics: a source alert inhibits targets with equal values of the `equal`
 * labels; an alert never inhibits itself). Rebuilt when silences, windows or inhibit rules change.
 */
export class Suppressor {
  private silences: CompiledSilence[] = [];
  private windows: CompiledWindow[] = [];
  private inhibits: CompiledInhibit[] = [];

  setSilences(list: readonly SilenceRecord[]): void {
    this.silences = list.map((s) => ({ s, matches: compileLabelMatchers(s.matchers) }));
  }

  setWindows(list: readonly MaintenanceWindowRecord[]): void {
    this.windows = list.filter((w) => w.enabled).map((w) => ({ w, schedule: compileSchedule(w.schedule, w.timeZone), matches: compileLabelMatchers(w.matchers) }));
  }

  setInhibitRules(list: readonly InhibitRule[]): void {
    this.inhibits = list.map((r) => ({ source: compileLabelMatchers(r.source), target: compileLabelMatchers(r.target), equal: r.equal, text: `${formatMatchers(r.source)} inhibits ${formatMatchers(r.target)}` }));
  }

  /** Maintenance windows active at `at` (ms); compute once per evaluation tick. */
  activeWindows(at: number): MaintenanceWindowRecord[] {
    return this.windows.filter((w) => w.schedule.activeAt(at)).map((w) => w.w);
  }

  /**
   * Suppressions of each active (pending or firing) alert at `at`. `all` must contain every
   * firing alert, because any of them may be an inhibition source.
   */
  compute(all: readonly SuppressibleAlert[], at: number): Map<string, Suppression[]> {
    const activeSilences = this.silences.filter((x) => x.s.startsAt <= at && at < x.s.endsAt);
    const activeWindows = this.windows.filter((w) => w.schedule.activeAt(at));
    const sources = this.inhibitionSources(all);
    const out = new Map<string, Suppression[]>();
    for (const a of all) {
      if (a.state !== 'firing' && a.state !== 'pending') continue;
      const list: Suppression[] = [];
      for (const x of activeSilences) if (x.matches(a.labels)) list.push({ kind: 'silence', id: x.s.id, description: x.s.comment || formatMatchers(x.s.matchers) });
      for (const w of activeWindows) if (w.matches(a.labels)) list.push({ kind: 'maintenance', id: w.w.id, description: w.w.name });
      this.inhibitedBy(a, sources, list);
      out.set(a.id, list);
    }
    return out;
  }

  /** Per inhibit rule: equal-label tuple → a firing source alert. */
  private inhibitionSources(all: readonly SuppressibleAlert[]): Map<string, SuppressibleAlert>[] {
    return this.inhibits.map((r) => {
      const m = new Map<string, SuppressibleAlert>();
      for (const a of all) if (a.state === 'firing' && r.source(a.labels)) m.set(JSON.stringify(r.equal.map((n) => a.labels[n] ?? '')), a);
      return m;
    });
  }

  private inhibitedBy(a: SuppressibleAlert, sources: Map<string, SuppressibleAlert>[], list: Suppression[]): void {
    this.inhibits.forEach((r, i) => {
      if (!r.target(a.labels)) return;
      const src = (sources[i] as Map<string, SuppressibleAlert>).get(JSON.stringify(r.equal.map((n) => a.labels[n] ?? '')));
      if (src && src.id !== a.id) list.push({ kind: 'inhibition', id: src.id, description: `inhibited by ${src.labels.alertname ?? src.id} (${r.text})` });
    });
  }
}

/** Default inhibition: an alert labelled `scope="host"` (e.g. agent down) mutes that host's other alerts. */
export const DEFAULT_INHIBIT_RULES: InhibitRule[] = [
  { source: [{ name: 'scope', op: '=', value: 'host' }], target: [{ name: 'scope', op: '!=', value: 'host' }], equal: ['host'] },
];

/** True when two suppression lists name the same suppressions. */
export function sameSuppressions(a: readonly Suppression[], b: readonly Suppression[]): boolean {
  if (a.length !== b.length) return false;
  const key = (s: Suppression) => `${s.kind}:${s.id}`;
  const set = new Set(a.map(key));
  return b.every((s) => set.has(key(s)));
}
