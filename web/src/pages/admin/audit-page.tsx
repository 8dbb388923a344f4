import { useState } from 'preact/hooks';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { useResource } from '../../hooks/use-resource.js';
import type { PageProps } from '../page-props.js';
import { auditExportUrl, auditParams, filtersFromSearch, type AuditFilters } from './audit-query.js';
import { formatDateTime } from './format-date-time.js';

/** One audit entry as the API returns it. */
interface AuditEntry {
  id: number;
  ts: number;
  actor: string;
  action: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: 'success' | 'failure' | 'denied';
  details: Record<string, unknown> | null;
}

const PAGE = 100;

/**
 * The audit log (admins): filters by actor, action, outcome and time, newest first, older pages
 * on demand, and JSON/CSV export of the filtered log. All values are shown as text.
 */
export function AuditPage({ search }: PageProps) {
  const { api } = useServices();
  const [filters, setFilters] = useState<AuditFilters>(() => filtersFromSearch(search));
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const [before, setBefore] = useState<number[]>([]);
  const cursor = before[before.length - 1];
  const entries = useResource(
    (signal) => api.get<{ entries: AuditEntry[]; nextBefore: number | null }>('/api/v1/audit', { ...auditParams(filters), limit: PAGE, before: cursor }, signal),
    [filters.actor, filters.action, filters.outcome, filters.since, cursor],
  );
  const apply = (e: Event) => {
    e.preventDefault();
    setBefore([]);
    setFilters(draft);
  };
  const set = (k: keyof AuditFilters) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  return (
    <div class="page page-audit">
      <div class="page-head">
        <h1>Audit log</h1>
        <div class="toolbar">
          <a class="button" href={auditExportUrl(filters, 'json')} download data-export="json">
            Export JSON
          </a>
          <a class="button" href={auditExportUrl(filters, 'csv')} download data-export="csv">
            Export CSV
          </a>
        </div>
      </div>
      <form class="toolbar" onSubmit={apply} aria-label="Filter the audit log" data-form="audit-filters">
        <label class="field">
          <span class="field-label">Actor</span>
          <input class="input" name="actor" placeholder="user:alice" value={draft.actor} onInput={set('actor')} />
        </label>
        <label class="field">
          <span class="field-label">Action</span>
          <input class="input" name="action" placeholder="auth.login" value={draft.action} onInput={set('action')} />
        </label>
        <label class="field">
          <span class="field-label">Outcome</span>
          <select class="input" name="outcome" value={draft.outcome} onChange={set('outcome')}>
            <option value="">any</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
            <option value="denied">denied</option>
          </select>
        </label>
        <label class="field">
          <span class="field-label">Since</span>
          <select class="input" name="since" value={draft.since} onChange={set('since')}>
            <option value="now-1h">1 hour</option>
            <option value="now-24h">24 hours</option>
            <option value="now-7d">7 days</option>
            <option value="now-30d">30 days</option>
            <option value="">all time</option>
          </select>
        </label>
        <button type="submit" class="button button-primary">
          Apply
        </button>
      </form>
      <Panel title="Entries" id="audit" resource={entries} isEmpty={(d) => d.entries.length === 0} empty="No entries match.">
        {(d) => (
          <>
            <div class="table-scroll">
              <table class="data-table" data-table="audit">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">IP</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {d.entries.map((e) => (
                    <tr key={e.id} data-audit-id={e.id} data-outcome={e.outcome}>
                      <td>{formatDateTime(e.ts)}</td>
                      <td>{e.actor}</td>
                      <td>{e.action}</td>
                      <td>{e.target ?? '—'}</td>
                      <td>
                        <span class={`badge ${e.outcome === 'success' ? 'badge-ok' : 'badge-bad'}`}>{e.outcome}</span>
                      </td>
                      <td>{e.ip ?? '—'}</td>
                      <td class="cell-clip">{e.details ? JSON.stringify(e.details) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div class="toolbar">
              {before.length > 0 ? (
                <button type="button" class="button button-small" onClick={() => setBefore(before.slice(0, -1))}>
                  Newer
                </button>
              ) : null}
              {d.nextBefore !== null ? (
                <button type="button" class="button button-small" onClick={() => setBefore([...before, d.nextBefore as number])}>
                  Older
                </button>
              ) : null}
            </div>
          </>
        )}
      </Panel>
    </div>
  );
}
