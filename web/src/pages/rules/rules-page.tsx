import { useState } from 'preact/hooks';
import type { RuleView } from '../../../../src/protocol/alerting.js';
import { Link } from '../../components/link.js';
import { Panel } from '../../components/panel.js';
import { SeverityBadge } from '../../components/severity-badge.js';
import { useServices } from '../../hooks/app-services.js';
import { usePermissions } from '../../hooks/use-permissions.js';
import { useResource } from '../../hooks/use-resource.js';
import '../../styles/alerting.css';

function specSummary(r: RuleView): string {
  const s = r.spec as Record<string, unknown>;
  const levels = ['critical', 'warning'].filter((k) => s[k] !== undefined).map((k) => `${k} ${String(s.op ?? '>')} ${String(s[k])}`);
  return [String(s.selector ?? ''), s.aggregation && s.aggregation !== 'last' ? `${String(s.aggregation)}(${String(s.window ?? '')})` : '', s.after ? `silent ${String(s.after)}` : '', ...levels].filter(Boolean).join(' · ');
}

function ImportForm({ onDone }: { onDone: () => void }) {
  const { api } = useServices();
  const [yaml, setYaml] = useState('');
  const [prune, setPrune] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    api.post<{ created: number; updated: number; deleted: number; unchanged: number }>('/api/v1/rules/import', { yaml, prune }).then(
      (r) => {
        setStatus({ ok: true, text: `Imported: ${r.created} created, ${r.updated} updated, ${r.deleted} deleted, ${r.unchanged} unchanged.` });
        onDone();
      },
      (err: Error) => setStatus({ ok: false, text: err.message }),
    );
  };
  return (
    <form class="stack" onSubmit={submit}>
      <textarea class="input code-area" aria-label="Rules YAML" value={yaml} onInput={(e) => setYaml((e.target as HTMLTextAreaElement).value)} placeholder={'rules:\n  - name: HighCPU\n    type: threshold\n    spec: {selector: cpu_usage_percent, critical: 90}'} />
      <div class="toolbar">
        <label>
          <input type="checkbox" checked={prune} onChange={(e) => setPrune((e.target as HTMLInputElement).checked)} /> delete rules missing from the file
        </label>
        <button type="submit" class="button button-primary" disabled={!yaml.trim()}>
          Import
        </button>
      </div>
      {status ? <p class={`form-status ${status.ok ? 'form-ok' : 'field-error'}`}>{status.text}</p> : null}
    </form>
  );
}

/** The rules list with rules-as-code import and export. */
export function RulesPage() {
  const { api } = useServices();
  const { can } = usePermissions();
  const rules = useResource((signal) => api.get<{ rules: RuleView[] }>('/api/v1/rules', undefined, signal).then((r) => r.rules), []);
  const [showImport, setShowImport] = useState(false);
  return (
    <div class="page" data-page="rules">
      <div class="page-head">
        <div>
          <h1>Alert rules</h1>
          <p class="page-summary">Threshold, absence and rate-of-change rules. Rules as code: export and import YAML, test with vigil rules test.</p>
        </div>
        <div class="toolbar">
          <a class="button" href="/api/v1/rules/export" download="vigil-rules.yaml">
            Export YAML
          </a>
          {can('write:incidents') ? (
            <>
              <button type="button" class="button" onClick={() => setShowImport(!showImport)} aria-expanded={showImport}>
                Import YAML…
              </button>
              <Link class="button button-primary" href="/rules/new">
                New rule
              </Link>
            </>
          ) : null}
        </div>
      </div>
      {showImport ? (
        <section class="panel">
          <div class="panel-body">
            <ImportForm onDone={rules.reload} />
          </div>
        </section>
      ) : null}
      <Panel title="Rules" id="rules" resource={rules} isEmpty={(l) => l.length === 0} empty="No rules yet.">
        {(list) => (
          <div class="table-scroll">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Condition</th>
                  <th scope="col">Severity</th>
                  <th scope="col">For</th>
                  <th scope="col">Enabled</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.id} data-rule={r.name}>
                    <td class="cell-strong">
                      <Link href={`/rules/${r.id}`}>{r.name}</Link>
                    </td>
                    <td>{r.type}</td>
                    <td class="cell-sub">{specSummary(r)}</td>
                    <td>{r.type === 'absence' ? <SeverityBadge severity={r.severity} /> : <span class="muted">by threshold</span>}</td>
                    <td>{r.for}</td>
                    <td>{r.enabled ? 'yes' : 'no'}</td>
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
