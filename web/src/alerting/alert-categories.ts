import type { AlertSeverity, AlertView } from '../../../src/protocol/alerting.js';

/** The tabs of the Alerts page. An alert is in exactly one: suppression and acknowledgement win over firing. */
export type AlertCategory = 'firing' | 'pending' | 'acknowledged' | 'silenced' | 'resolved';

/** Tabs in display order. */
export const ALERT_CATEGORIES: readonly AlertCategory[] = ['firing', 'pending', 'acknowledged', 'silenced', 'resolved'];

/** The tab an alert belongs to. */
export function categoryOf(a: AlertView): AlertCategory {
  if (a.state === 'resolved' || a.state === 'inactive') return 'resolved';
  if (a.suppressedBy.length > 0) return 'silenced';
  if (a.ack) return 'acknowledged';
  return a.state === 'pending' ? 'pending' : 'firing';
}

const RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** Filters of the Alerts page (from the URL). */
export interface AlertFilter {
  category: AlertCategory;
  severity: AlertSeverity | null;
  host: string;
  /** Free text matched against alert name, label values and summary (case-insensitive). */
  text: string;
}

/** Reads the filter from the page's search params (unknown values fall back to defaults). */
export function filterFromSearch(search: URLSearchParams): AlertFilter {
  const cat = search.get('tab');
  const sev = search.get('severity');
  return {
    category: ALERT_CATEGORIES.includes(cat as AlertCategory) ? (cat as AlertCategory) : 'firing',
    severity: sev === 'critical' || sev === 'warning' || sev === 'info' ? sev : null,
    host: search.get('host') ?? '',
    text: search.get('q') ?? '',
  };
}

/** Alerts of the filter's tab, most severe first, then newest. */
export function applyFilter(alerts: readonly AlertView[], f: AlertFilter): AlertView[] {
  const text = f.text.trim().toLowerCase();
  return alerts
    .filter((a) => categoryOf(a) === f.category)
    .filter((a) => f.severity === null || a.severity === f.severity)
    .filter((a) => !f.host || a.labels.host === f.host)
    .filter((a) => !text || [a.ruleName, a.annotations.summary ?? '', ...Object.values(a.labels)].some((v) => v.toLowerCase().includes(text)))
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || (b.firingSince ?? b.activeSince ?? b.updatedAt) - (a.firingSince ?? a.activeSince ?? a.updatedAt));
}

/** Count per tab (for the tab labels). */
export function countByCategory(alerts: readonly AlertView[]): Record<AlertCategory, number> {
  const out: Record<AlertCategory, number> = { firing: 0, pending: 0, acknowledged: 0, silenced: 0, resolved: 0 };
  for (const a of alerts) out[categoryOf(a)]++;
  return out;
}

/** Replaces or adds an alert from a live update, keeping the list order stable. */
export function upsertAlert(list: readonly AlertView[], a: AlertView): AlertView[] {
  const i = list.findIndex((x) => x.id === a.id);
  if (i < 0) return [a, ...list];
  const copy = list.slice();
  copy[i] = a;
  return copy;
}

/** Labels worth showing in a list (everything but alertname and severity, which have columns). */
export function displayLabels(labels: Record<string, string>): [string, string][] {
  return Object.entries(labels).filter(([k]) => k !== 'alertname' && k !== 'severity' && k !== 'vigil_avoid_channel');
}
