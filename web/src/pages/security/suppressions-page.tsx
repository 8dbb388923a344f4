import { useState } from 'preact/hooks';
import { Link } from '../../components/link.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { usePermissions } from '../../hooks/use-permissions.js';
import { useResource } from '../../hooks/use-resource.js';
import type { Suppression } from '../../../../src/protocol/security.js';
import { isActiveSuppression } from '../../security/security-api.js';
import { formatDateTime } from '../admin/format-date-time.js';
import '../../styles/alerting.css';
import '../../styles/security.css';

/**
 * Active suppressions (exceptions) of security events: what they match, why, who made them and
 * when they expire. Users with write:incidents can delete one; viewers see the list only.
 * Suppressions are created from an event ("Suppress…" on its detail page).
 */
export function SuppressionsPage() {
  const { api, serverClock } = useServices();
  const { can } = usePermissions();
  const list = useResource((signal) => api.get<{ suppressions: Suppression[] }>('/api/v1/suppressions', undefined, signal).then((r) => r.suppressions.filter((s) => isActiveSuppression(s, serverClock.serverNow()))), []);
  const [error, setError] = useState<string | null>(null);
  const remove = (s: Suppression) => {
    api.request('DELETE', `/api/v1/suppressions/${encodeURIComponent(s.id)}`).then(
      () => {
        setError(null);
        list.update((l) => l.filter((x) => x.id !== s.id));
      },
      (err: Error) => setError(err.message),
    );
  };
  return (
    <div class="page" data-page="suppressions">
      <div class="page-head">
        <div>
          <p class="muted">
            <Link href="/security">Security</Link> / suppressions
          </p>
          <h1>Suppressions</h1>
          <p class="page-summary">Matching new events are stored but hidden by default (tick "include suppressed" to see them). Create one from an event.</p>
        </div>
      </div>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <Panel title="Active suppressions" id="suppressions" resource={list} isEmpty={(l) => l.length === 0} empty="No active suppressions.">
        {(l) => (
          <div class="table-scroll">
            <table class="data-table" data-table="suppressions">
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Matches</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Author</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  {can('write:incidents') ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {l.map((s) => (
                  <tr key={s.id} data-suppression={s.id}>
                    <td>{s.event_type}</td>
                    <td>{s.src_ip ? `source IP ${s.src_ip}` : s.host ? `host ${s.host}` : 'any'}</td>
                    <td class="cell-wrap">{s.reason}</td>
                    <td>{s.created_by}</td>
                    <td>{formatDateTime(s.created_at)}</td>
                    <td data-expires={s.expires_at}>{formatDateTime(s.expires_at)}</td>
                    {can('write:incidents') ? (
                      <td>
                        <button type="button" class="button button-small button-ghost" data-suppression-delete={s.id} onClick={() => remove(s)}>
                          Delete
                        </button>
                      </td>
                    ) : null}
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
