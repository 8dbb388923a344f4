import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { SecurityEvent, SecurityEventDetail, TriageHistoryEntry } from '../../../../src/protocol/security.js';
import { Link } from '../../components/link.js';
import { Panel } from '../../components/panel.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { useServices } from '../../hooks/app-services.js';
import { usePermissions } from '../../hooks/use-permissions.js';
import { useResource } from '../../hooks/use-resource.js';
import { metadataRows, mitreUrl } from '../../security/event-detail.js';
import { formatDateTime } from '../admin/format-date-time.js';
import type { PageProps } from '../page-props.js';
import { EventHostCharts } from './event-host-charts.js';
import { EventTable } from './event-table.js';
import { triageText } from './filter-bar.js';
import { SuppressDialog } from './suppress-dialog.js';
import { TriageForm } from './triage-form.js';
import '../../styles/alerting.css';
import '../../styles/security.css';

/** The event's fields as a definition list. Agent-supplied values are text nodes only. */
function EventFields({ event }: { event: SecurityEvent }) {
  const mitre = mitreUrl(event.mitre_technique);
  const rows: [string, ComponentChildren][] = [
    ['Time', formatDateTime(event.ts)],
    ['Received', formatDateTime(event.received_at)],
    // The host page is keyed by agent id; events of Vigil itself or other sources have none.
    ['Host', event.agent_id ? <Link href={`/hosts/${encodeURIComponent(event.agent_id)}`}>{event.host}</Link> : event.host],
    ['Agent', event.agent_id ?? '—'],
    ['Type', event.event_type],
    ['Source', event.source],
    ['Triage', triageText(event.triage)],
    ['Correlation id', event.correlation_id ?? '—'],
    [
      'MITRE ATT&CK',
      mitre ? (
        <a href={mitre} target="_blank" rel="noopener noreferrer" data-mitre>
          {event.mitre_technique}
        </a>
      ) : (
        (event.mitre_technique ?? '—')
      ),
    ],
    ['Suppressed by', event.suppressed_by ?? '—'],
  ];
  return (
    <dl class="kv-list" data-event-fields>
      {rows.map(([k, v]) => (
        <div key={k} class="kv-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Metadata as key/value rows (values as text; objects as JSON text). */
function MetadataTable({ metadata }: { metadata: SecurityEvent['metadata'] }) {
  const rows = metadataRows(metadata);
  if (rows.length === 0) return <p class="muted">No metadata.</p>;
  return (
    <table class="data-table" data-table="metadata">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row" class="input-code">
              {k}
            </th>
            <td class="cell-wrap">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Who changed the triage state when, with their notes (notes are text). */
function TriageHistory({ entries }: { entries: readonly TriageHistoryEntry[] }) {
  if (entries.length === 0) return <p class="muted">Not triaged yet.</p>;
  return (
    <ol class="timeline" data-triage-history>
      {entries.map((h, i) => (
        <li key={i} data-to={h.to}>
          <span class="timeline-when">{formatDateTime(h.at)}</span>
          <span class="timeline-what">
            {h.actor}: {triageText(h.from)} → {triageText(h.to)}
            {h.note ? ` — ${h.note}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

/**
 * One security event: its fields and metadata, triage, "Suppress…", related events (same
 * correlation id, same host ±10 min) and the host's CPU and network around it.
 */
export function EventDetailPage({ params }: PageProps) {
  const { api } = useServices();
  const { can } = usePermissions();
  const id = params.id ?? '';
  const detail = useResource((signal) => api.get<SecurityEventDetail>(`/api/v1/events/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const [suppressing, setSuppressing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const writable = can('write:incidents');
  return (
    <div class="page" data-page="security-event">
      <div class="page-head">
        <div>
          <p class="muted">
            <Link href="/security">Security</Link> / event
          </p>
          <h1 class="event-title" data-event-title>
            {detail.data ? (
              <>
                <SeverityBadge severity={detail.data.event.severity} /> {detail.data.event.event_type} on {detail.data.event.host}
              </>
            ) : (
              'Security event'
            )}
          </h1>
        </div>
      </div>
      <Panel title="Event" id="security-event" resource={detail}>
        {({ event, triage_history: history }) => (
          <div class="stack" data-event-detail={event.event_id} data-triage-state={event.triage}>
            <p class="event-description pre-text" data-event-description>
              {event.description}
            </p>
            <EventFields event={event} />
            <h3>Metadata</h3>
            <MetadataTable metadata={event.metadata} />
            <h3>Triage</h3>
            <TriageHistory entries={history ?? []} />
            {writable ? (
              <>
                <TriageForm event={event} onDone={() => detail.reload()} />
                {notice ? (
                  <p class="form-ok" role="status" data-notice>
                    {notice}
                  </p>
                ) : null}
                {suppressing ? (
                  <SuppressDialog
                    event={event}
                    onClose={() => setSuppressing(false)}
                    onCreated={() => {
                      setSuppressing(false);
                      setNotice('Suppression created. Matching new events are stored but hidden by default.');
                    }}
                  />
                ) : (
                  <div class="toolbar">
                    <button type="button" class="button" data-suppress-open onClick={() => (setNotice(null), setSuppressing(true))}>
                      Suppress…
                    </button>
                  </div>
                )}
              </>
            ) : null}
          </div>
        )}
      </Panel>
      {detail.data ? (
        <>
          <EventHostCharts host={detail.data.event.host} ts={detail.data.event.ts} />
          <section class="panel" aria-labelledby="related-title" data-panel="related">
            <header class="panel-header">
              <h2 id="related-title" class="panel-title">
                Related events ({detail.data.related.length})
              </h2>
            </header>
            <div class="panel-body">
              {detail.data.related.length === 0 ? <div class="panel-empty">No events with the same correlation id or on the same host within ±10 min.</div> : <EventTable events={detail.data.related} name="related" />}
            </div>
          </section>
        </>
      ) : null}
    </div>
  );
}
