import { useState } from 'preact/hooks';
import type { AlertDetail, AlertExplanation, AlertsLiveData } from '../../../../src/protocol/alerting.js';
import type { QueryResult } from '../../../../src/protocol/query.js';
import { alertSeriesSelector, queryChart } from '../../alerting/alert-chart.js';
import { displayLabels } from '../../alerting/alert-categories.js';
import { formatMatcherText, matchersForAlert } from '../../alerting/matcher-text.js';
import { TimeChart } from '../../charts/time-chart.js';
import { Link } from '../../components/link.js';
import { Panel } from '../../components/panel.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { formatValue } from '../../format/format-value.js';
import { metricUnit } from '../../format/metric-unit.js';
import { useServices } from '../../hooks/app-services.js';
import { useLiveSubscription } from '../../hooks/use-live-subscription.js';
import { usePermissions } from '../../hooks/use-permissions.js';
import { useResource } from '../../hooks/use-resource.js';
import type { PageProps } from '../page-props.js';
import { ExplainPanel } from './explain-panel.js';
import '../../styles/alerting.css';

const when = (ts: number) => new Date(ts).toLocaleString();

/** Only http(s) runbook links are rendered as links (a `javascript:` URL must never become one). */
function safeHref(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

function AckForm({ alert, onDone }: { alert: AlertDetail; onDone: () => void }) {
  const { api } = useServices();
  const [comment, setComment] = useState('');
  const [expiresIn, setExpiresIn] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    api.post(`/api/v1/alerts/${alert.id}/ack`, { comment, ...(expiresIn ? { expiresIn } : {}) }).then(onDone, (err: Error) => setError(err.message));
  };
  return (
    <form class="inline-form" onSubmit={submit} data-ack-form>
      <label class="field field-grow">
        <span class="field-label">Comment</span>
        <input class="input" value={comment} maxLength={1000} onInput={(e) => setComment((e.target as HTMLInputElement).value)} placeholder="who is on it, ticket" />
      </label>
      <label class="field">
        <span class="field-label">Expires</span>
        <select class="input" value={expiresIn} onChange={(e) => setExpiresIn((e.target as HTMLSelectElement).value)}>
          <option value="">when resolved</option>
          <option value="30m">in 30 min</option>
          <option value="2h">in 2 h</option>
          <option value="8h">in 8 h</option>
          <option value="1d">in 1 day</option>
        </select>
      </label>
      <button type="submit" class="button button-primary" data-ack>
        Acknowledge
      </button>
      {error ? <p class="field-error">{error}</p> : null}
    </form>
  );
}

function MetricChart({ alert }: { alert: AlertDetail }) {
  const { api, serverClock } = useServices();
  const spec = (alert.rule?.spec ?? {}) as Record<string, unknown>;
  const selector = typeof spec.selector === 'string' ? alertSeriesSelector(spec.selector, alert.labels, alert.rule?.labels ?? {}) : null;
  // "Now" is fixed when the chart mounts; a moving value would refetch on every render.
  const [now] = useState(() => serverClock.serverNow());
  const end = alert.resolvedAt ? Math.min(alert.resolvedAt + 30 * 60_000, now) : now;
  const start = Math.min((alert.activeSince ?? alert.firingSince ?? end) - 60 * 60_000, end - 3 * 3_600_000);
  const data = useResource(
    (signal) => (selector ? api.get<QueryResult>('/api/v1/query', { query: selector, start, end, agg: 'avg' }, signal) : Promise.resolve(null)),
    [selector, start, end],
  );
  const t = { warning: typeof spec.warning === 'number' ? spec.warning : null, critical: typeof spec.critical === 'number' ? spec.critical : null, recovery: typeof spec.recovery === 'number' ? spec.recovery : null };
  return (
    <Panel title={selector ? `Metric: ${selector}` : 'Metric'} id="alert-chart" resource={data} isEmpty={(r) => !r || r.series.length === 0} empty="No samples of this series around the alert.">
      {(r) => (r ? <TimeChart data={queryChart(r, t)} unit={metricUnit(alert.annotations.metric ?? '')} windowStart={start} windowEnd={end} label="alert metric" /> : null)}
    </Panel>
  );
}

/** State, facts, labels, annotations and the acknowledge/silence actions of one alert. */
function AlertSummary({ a, canWrite, onChanged, onUnack }: { a: AlertDetail; canWrite: boolean; onChanged: () => void; onUnack: () => void }) {
  return (
          <div class="stack" data-alert-state={a.state} data-acked={a.ack ? 'true' : 'false'}>
            <div class="host-title-row">
              <h1>{a.ruleName}</h1>
              <SeverityBadge severity={a.severity} />
              <span class={`state-${a.state}`} data-state-text>
                {a.state}
              </span>
              {a.flapping ? <span class="tag">flapping</span> : null}
            </div>
            {a.annotations.summary ? <p class="page-summary">{a.annotations.summary}</p> : null}
            <dl class="facts">
              <div class="fact">
                <dt>Value</dt>
                <dd>{a.value === null ? '–' : formatValue(a.value, metricUnit(a.annotations.metric ?? ''))}{a.threshold !== null ? ` (threshold ${a.threshold})` : ''}</dd>
              </div>
              <div class="fact">
                <dt>Active since</dt>
                <dd>{a.activeSince ? when(a.activeSince) : '–'}</dd>
              </div>
              <div class="fact">
                <dt>Firing since</dt>
                <dd>{a.firingSince ? when(a.firingSince) : '–'}</dd>
              </div>
              {a.resolvedAt ? (
                <div class="fact">
                  <dt>Resolved</dt>
                  <dd>{when(a.resolvedAt)}</dd>
                </div>
              ) : null}
            </dl>
            <span class="label-chips">
              {displayLabels(a.labels).map(([k, v]) => (
                <span key={k} class="label-chip">
                  {k}={v}
                </span>
              ))}
            </span>
            {a.annotations.description ? <p>{a.annotations.description}</p> : null}
            {safeHref(a.annotations.runbook_url) ? (
              <p>
                Runbook:{' '}
                <a href={safeHref(a.annotations.runbook_url) as string} rel="noopener noreferrer" target="_blank">
                  {a.annotations.runbook_url}
                </a>
              </p>
            ) : null}
            {a.annotations.suggested_fixes ? (
              <div>
                <strong>Suggested fixes</strong>
                <pre class="pre-text">{a.annotations.suggested_fixes}</pre>
              </div>
            ) : null}
            {a.ack ? (
              <p class="callout" data-ack-info>
                Acknowledged by {a.ack.by} at {when(a.ack.at)}
                {a.ack.comment ? `: ${a.ack.comment}` : ''}
                {a.ack.expiresAt ? ` (until ${when(a.ack.expiresAt)})` : ''}{' '}
                {canWrite ? (
                  <button type="button" class="button button-small button-ghost" onClick={onUnack}>
                    Remove acknowledgement
                  </button>
                ) : null}
              </p>
            ) : null}
            {a.suppressedBy.map((s) => (
              <p key={`${s.kind}:${s.id}`} class="callout callout-warn">
                Not notified: {s.kind} — {s.description}
              </p>
            ))}
            {canWrite && (a.state === 'firing' || a.state === 'pending') ? (
              <div class="toolbar">
                {!a.ack ? <AckForm alert={a} onDone={onChanged} /> : null}
                <Link class="button" href={`/silences?matchers=${encodeURIComponent(formatMatcherText(matchersForAlert(a.labels)))}`}>
                  Silence…
                </Link>
              </div>
            ) : null}
          </div>
        );
}

/** Alert detail: state, labels, annotations, actions, metric chart around it, timeline, and why it was (not) notified. */
export function AlertDetailPage({ params }: PageProps) {
  const { api } = useServices();
  const { can } = usePermissions();
  const id = params.id ?? '';
  const detail = useResource((signal) => api.get<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const explain = useResource((signal) => api.get<AlertExplanation>(`/api/v1/alerts/${encodeURIComponent(id)}/explain`, undefined, signal), [id]);
  useLiveSubscription({ topic: 'alerts' }, (msg) => {
    if (msg.type === 'event' && (msg.data as AlertsLiveData).alert.id === id) {
      detail.reload();
      explain.reload();
    }
  });
  const refresh = () => {
    detail.reload();
    explain.reload();
  };
  const unack = () => void api.request('DELETE', `/api/v1/alerts/${id}/ack`).then(refresh, refresh);
  return (
    <div class="page" data-page="alert-detail">
      <p class="breadcrumb">
        <Link href="/alerts">Alerts</Link> / {detail.data?.ruleName ?? id}
      </p>
      <Panel title="Alert" id="alert" resource={detail}>
        {(a) => <AlertSummary a={a} canWrite={can('write:incidents')} onChanged={refresh} onUnack={unack} />}
      </Panel>
      <div class="detail-grid">
        <div class="stack">
          {detail.data ? <MetricChart alert={detail.data} /> : null}
          <ExplainPanel resource={explain} />
        </div>
        <Panel title="Timeline" id="alert-timeline" resource={detail} isEmpty={(a) => a.transitions.length === 0} empty="No transitions stored yet.">
          {(a) => (
            <ol class="timeline" data-timeline>
              {a.transitions.map((t) => (
                <li key={t.id} data-kind={t.kind}>
                  <span class="timeline-when">{when(t.ts)}</span>
                  <span class="timeline-what">
                    <strong>{t.kind === 'state' ? `${t.from} → ${t.to}` : t.kind}</strong> {t.reason}
                    {t.actor ? <span class="muted"> — {t.actor}</span> : null}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Panel>
      </div>
    </div>
  );
}
