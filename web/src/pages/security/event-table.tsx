import type { SecurityEvent } from '../../../../src/protocol/security.js';
import { Link } from '../../components/link.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { formatDateTime } from '../admin/format-date-time.js';
import { triageText } from './filter-bar.js';

/** Props of {@link EventTable}. */
export interface EventTableProps {
  events: readonly SecurityEvent[];
  /** Ids to highlight (events that arrived live). */
  fresh?: readonly string[];
  /** `data-table` value for tests (default `events`). */
  name?: string;
}

/**
 * Security events as a table, linking to their detail page. Every agent-supplied field is
 * rendered as text (Preact escapes it); nothing here uses innerHTML.
 */
export function EventTable({ events, fresh = [], name = 'events' }: EventTableProps) {
  return (
    <div class="table-scroll">
      <table class="data-table" data-table={name}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Severity</th>
            <th scope="col">Type</th>
            <th scope="col">Host</th>
            <th scope="col">Description</th>
            <th scope="col">Triage</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.event_id} data-event={e.event_id} data-event-type={e.event_type} data-event-severity={e.severity} class={fresh.includes(e.event_id) ? 'row-fresh' : undefined}>
              <td class="cell-time">
                <Link href={`/security/events/${encodeURIComponent(e.event_id)}`}>{formatDateTime(e.ts)}</Link>
              </td>
              <td>
                <SeverityBadge severity={e.severity} />
              </td>
              <td>{e.event_type}</td>
              <td>{e.host}</td>
              <td class="cell-clip" data-description>
                {e.description}
                {e.suppressed_by ? <span class="tag">suppressed</span> : null}
              </td>
              <td data-triage={e.triage}>{triageText(e.triage)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
