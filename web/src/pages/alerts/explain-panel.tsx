import type { AlertExplanation } from '../../../../src/protocol/alerting.js';
import { Panel } from '../../components/panel.js';
import type { Resource } from '../../hooks/use-resource.js';

const when = (ts: number) => new Date(ts).toLocaleTimeString();

/** "Why was I (not) notified?": matched routes, suppressions, the pipeline's trace and every delivery attempt. */
export function ExplainPanel({ resource }: { resource: Resource<AlertExplanation> }) {
  return (
    <Panel title="Why was I (not) notified?" id="alert-explain" resource={resource}>
      {(x) => (
        <div class="stack" data-explain>
          <p>
            Routes:{' '}
            {x.matchedRoutes.map((r) => (
              <span key={r.id} class="tag">
                {r.id} → {r.receiver ?? '–'}
              </span>
            ))}
          </p>
          {x.suppressedBy.length ? <p class="callout callout-warn">Suppressed now: {x.suppressedBy.map((s) => `${s.kind} (${s.description})`).join('; ')}</p> : null}
          <ol class="timeline">
            {x.steps.map((s, i) => (
              <li key={i} data-step={s.step}>
                <span class="timeline-when">
                  {when(s.ts)} · {s.step}
                </span>
                <span class="timeline-what">{s.message}</span>
              </li>
            ))}
          </ol>
          {x.notifications.length ? (
            <div class="table-scroll">
              <table class="data-table" data-notifications>
                <thead>
                  <tr>
                    <th scope="col">Notification</th>
                    <th scope="col">Via</th>
                    <th scope="col">Status</th>
                    <th scope="col">Attempts</th>
                  </tr>
                </thead>
                <tbody>
                  {x.notifications.map((n) => (
                    <tr key={n.id}>
                      <td>
                        {n.kind} <span class="muted small">{n.dedupKey}</span>
                      </td>
                      <td>
                        {n.channelType} <span class="muted small">{n.target}</span>
                      </td>
                      <td>{n.status}</td>
                      <td>
                        {(n.log ?? []).map((a, i) => (
                          <div key={i} class="small">
                            {when(a.ts)} {a.outcome}
                            {a.statusCode ? ` ${a.statusCode}` : ''}
                            {a.error ? ` — ${a.error}` : ''}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="muted">No notification was sent for this alert.</p>
          )}
        </div>
      )}
    </Panel>
  );
}
