import { useState } from 'preact/hooks';
import type { AlertsLiveData, AlertView } from '../../../../src/protocol/alerting.js';
import { ALERT_CATEGORIES, applyFilter, countByCategory, displayLabels, filterFromSearch } from '../../alerting/alert-categories.js';
import { formatMatcherText, matchersForAlert } from '../../alerting/matcher-text.js';
import { Link } from '../../components/link.js';
import { Panel } from '../../components/panel.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { formatAgo } from '../../format/format-ago.js';
import { formatValue } from '../../format/format-value.js';
import { metricUnit } from '../../format/metric-unit.js';
import { useServices } from '../../hooks/app-services.js';
import { useLiveSubscription } from '../../hooks/use-live-subscription.js';
import { useNow } from '../../hooks/use-now.js';
import { usePermissions } from '../../hooks/use-permissions.js';
import { useResource } from '../../hooks/use-resource.js';
import { withSearch } from '../../routing/with-search.js';
import type { PageProps } from '../page-props.js';
import { upsertAlert } from '../../alerting/alert-categories.js';
import '../../styles/alerting.css';

/** Flags of an alert in the list: acknowledged by, silenced because, flapping. */
function AlertFlags({ a }: { a: AlertView }) {
  return (
    <span class="label-chips">
      {a.ack ? <span class="tag" title={a.ack.comment}>ack: {a.ack.by}</span> : null}
      {a.suppressedBy.map((s) => (
        <span key={`${s.kind}:${s.id}`} class="tag" title={s.description}>
          {s.kind}: {s.description}
        </span>
      ))}
      {a.flapping ? <span class="tag">flapping</span> : null}
    </span>
  );
}

/** Inline acknowledgement: a comment and Ack. */
function AckInline({ alert, onDone }: { alert: AlertView; onDone: (a: AlertView) => void }) {
  const { api } = useServices();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    api.post<AlertView>(`/api/v1/alerts/${alert.id}/ack`, { comment }).then(onDone, (err: Error) => setError(err.message));
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <input class="input" aria-label={`Comment for ${alert.ruleName}`} placeholder="comment (optional)" value={comment} onInput={(e) => setComment((e.target as HTMLInputElement).value)} maxLength={1000} />
      <button type="submit" class="button button-small button-primary" data-ack={alert.id}>
        Ack
      </button>
      {error ? <span class="field-error">{error}</span> : null}
    </form>
  );
}

/** The Alerts page: tabs by state, filters by severity/host/text, live updates, ack and silence actions. */
export function AlertsPage({ search, pathname }: PageProps) {
  const { api, location } = useServices();
  const { can } = usePermissions();
  const now = useNow();
  const filter = filterFromSearch(search);
  const alerts = useResource((signal) => api.get<{ alerts: AlertView[] }>('/api/v1/alerts', { state: 'firing,pending,resolved', limit: 2000 }, signal).then((r) => r.alerts), []);
  const [acking, setAcking] = useState<string | null>(null);
  useLiveSubscription({ topic: 'alerts' }, (msg) => {
    if (msg.type === 'event') alerts.update((list) => upsertAlert(list, (msg.data as AlertsLiveData).alert));
  });
  const set = (changes: Record<string, string | null>) => location.navigate(withSearch(pathname, search, changes), { replace: true });
  const all = alerts.data ?? [];
  const counts = countByCategory(all);
  const hosts = [...new Set(all.map((a) => a.labels.host).filter((h): h is string => !!h))].sort();
  const silenceHref = (a: AlertView) => `/silences?matchers=${encodeURIComponent(formatMatcherText(matchersForAlert(a.labels)))}`;
  return (
    <div class="page" data-page="alerts">
      <div class="page-head">
        <div>
          <h1>Alerts</h1>
          <p class="page-summary">Everything the rules found, by state. Updates live.</p>
        </div>
        <div class="toolbar">
          <Link class="button" href="/rules">Rules</Link>
          <Link class="button" href="/silences">Silences</Link>
          <Link class="button" href="/notifications">Routes &amp; channels</Link>
        </div>
      </div>
      <div class="toolbar">
        <div class="segmented" role="group" aria-label="State">
          {ALERT_CATEGORIES.map((c) => (
            <button key={c} type="button" class="segmented-item" aria-pressed={filter.category === c} onClick={() => set({ tab: c === 'firing' ? null : c })} data-tab={c}>
              {c} ({counts[c]})
            </button>
          ))}
        </div>
        <select class="input input-op" aria-label="Severity" value={filter.severity ?? ''} onChange={(e) => set({ severity: (e.target as HTMLSelectElement).value || null })}>
          <option value="">all severities</option>
          <option value="critical">critical</option>
          <option value="warning">warning</option>
          <option value="info">info</option>
        </select>
        <select class="input input-op" aria-label="Host" value={filter.host} onChange={(e) => set({ host: (e.target as HTMLSelectElement).value || null })}>
          <option value="">all hosts</option>
          {hosts.map((h) => (
            <option key={h} value={h}>
              {h}
            </option>
          ))}
        </select>
        <input class="input field-grow" aria-label="Search labels" placeholder="search name, label, summary" value={filter.text} onInput={(e) => set({ q: (e.target as HTMLInputElement).value || null })} />
      </div>
      <Panel title={`${filter.category} alerts`} id="alerts" resource={alerts} isEmpty={(list) => applyFilter(list, filter).length === 0} empty={`No ${filter.category} alerts.`}>
        {(list) => (
          <div class="table-scroll">
            <table class="data-table" data-alert-table>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Alert</th>
                  <th scope="col">Labels</th>
                  <th scope="col">Value</th>
                  <th scope="col">Since</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {applyFilter(list, filter).map((a) => (
                  <tr key={a.id} data-alert={a.id} data-alertname={a.ruleName}>
                    <td>
                      <SeverityBadge severity={a.severity} />
                    </td>
                    <td class="cell-strong">
                      <Link href={`/alerts/${a.id}`}>{a.ruleName}</Link>
                      <div class="cell-sub muted">{a.annotations.summary}</div>
                    </td>
                    <td>
                      <span class="label-chips">
                        {displayLabels(a.labels).map(([k, v]) => (
                          <span key={k} class="label-chip">
                            {k}={v}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td class="cell-num">{a.value === null ? '–' : formatValue(a.value, metricUnit(a.annotations.metric ?? ''))}</td>
                    <td>{formatAgo(now - (a.state === 'resolved' ? (a.resolvedAt ?? a.updatedAt) : (a.firingSince ?? a.activeSince ?? a.updatedAt)))}</td>
                    <td>
                      <span class={`state-${a.state}`}>{a.state}</span> <AlertFlags a={a} />
                    </td>
                    <td>
                      {can('write:incidents') && (a.state === 'firing' || a.state === 'pending') && !a.ack ? (
                        acking === a.id ? (
                          <AckInline alert={a} onDone={(x) => (alerts.update((l) => upsertAlert(l, x)), setAcking(null))} />
                        ) : (
                          <button type="button" class="button button-small" onClick={() => setAcking(a.id)}>
                            Acknowledge…
                          </button>
                        )
                      ) : null}{' '}
                      {can('write:incidents') && a.state !== 'resolved' ? (
                        <Link class="button button-small button-ghost" href={silenceHref(a)}>
                          Silence…
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
