import { useEffect, useState } from 'preact/hooks';
import type { RuleDryRunResult, RuleView } from '../../../../src/protocol/alerting.js';
import { ApiError } from '../../api/api-error.js';
import { dryRunChart, firesSummary } from '../../alerting/alert-chart.js';
import { emptyRuleForm, formFromRule, ruleInputFromForm, type RuleForm } from '../../alerting/rule-form.js';
import { TimeChart } from '../../charts/time-chart.js';
import { Link } from '../../components/link.js';
import { useServices } from '../../hooks/app-services.js';
import { useDebounced } from '../../hooks/use-debounced.js';
import { usePermissions } from '../../hooks/use-permissions.js';
import type { PageProps } from '../page-props.js';
import '../../styles/alerting.css';

type Field = keyof RuleForm;

function Input({ form, field, label, set, type = 'text', wide = false }: { form: RuleForm; field: Field; label: string; set: (f: Field, v: string) => void; type?: string; wide?: boolean }) {
  return (
    <label class={`field ${wide ? 'field-grow' : ''}`}>
      <span class="field-label">{label}</span>
      <input class="input" type={type} name={field} value={String(form[field])} onInput={(e) => set(field, (e.target as HTMLInputElement).value)} />
    </label>
  );
}

function Select({ form, field, label, set, options }: { form: RuleForm; field: Field; label: string; set: (f: Field, v: string) => void; options: string[] }) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      <select class="input" name={field} value={String(form[field])} onChange={(e) => set(field, (e.target as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

function SpecFields({ form, set, types }: { form: RuleForm; set: (f: Field, v: string) => void; types: string[] }) {
  const p = { form, set };
  return (
    <div class="stack">
      <div class="form-row">
        <Select {...p} field="type" label="Type" options={types} />
        {form.type !== 'threshold' && form.type !== 'rate_of_change' ? <Select {...p} field="severity" label="Severity" options={['critical', 'warning', 'info']} /> : null}
      </div>
      {['threshold', 'absence', 'rate_of_change', 'forecast', 'anomaly'].includes(form.type) ? <Input {...p} field="selector" label="Series selector" wide /> : null}
      {form.type === 'forecast' ? (
        <>
          <div class="form-row">
            <Select {...p} field="model" label="Model" options={['linear', 'holt-winters', 'arima', 'ewma', 'sma', 'auto']} />
            <Select {...p} field="op" label="Direction" options={['>', '<']} />
            <Input {...p} field="threshold" label="Threshold" type="number" />
            <Select {...p} field="band" label="Band that must cross" options={['95', '80', 'mean']} />
          </div>
          <div class="form-row">
            <Input {...p} field="horizon" label="Within (horizon)" />
            <Input {...p} field="history" label="Fit on history" />
            <Input {...p} field="step" label="Step" />
          </div>
          <p class="muted small">Fires when the forecast band crosses the threshold within the horizon (e.g. disk full within 24 h). Evaluated at most once a minute.</p>
        </>
      ) : null}
      {form.type === 'anomaly' ? (
        <>
          <div class="form-row">
            <Select {...p} field="detector" label="Detector" options={['robust-z', 'seasonal', 'residual']} />
            <Input {...p} field="k" label="Score threshold k" type="number" />
            <Input {...p} field="minAbsDeviation" label="Minimum deviation" type="number" />
            <Select {...p} field="direction" label="Direction" options={['both', 'above', 'below']} />
          </div>
          <div class="form-row">
            <Input {...p} field="history" label="History" />
            <Input {...p} field="step" label="Step" />
          </div>
          <p class="muted small">Fires while the newest point is outside the expected band (|score| ≥ k) for the rule's "for" duration; the minimum deviation keeps flat series quiet.</p>
        </>
      ) : null}
      {form.type === 'threshold' ? (
        <div class="form-row">
          <Select {...p} field="aggregation" label="Aggregation" options={['last', 'avg', 'min', 'max', 'p95', 'rate']} />
          {form.aggregation !== 'last' ? <Input {...p} field="window" label="Window" /> : null}
        </div>
      ) : null}
      {form.type === 'rate_of_change' ? (
        <div class="form-row">
          <Input {...p} field="window" label="Window" />
          <Select {...p} field="mode" label="Mode" options={['percent', 'absolute']} />
          <Input {...p} field="per" label="Per" />
        </div>
      ) : null}
      {form.type === 'threshold' || form.type === 'rate_of_change' ? (
        <div class="form-row">
          <Select {...p} field="op" label="Operator" options={['>', '>=', '<', '<=']} />
          <Input {...p} field="warning" label="Warning" type="number" />
          <Input {...p} field="critical" label="Critical" type="number" />
          <Input {...p} field="recovery" label="Recovery (hysteresis)" type="number" />
        </div>
      ) : null}
      {form.type === 'absence' ? (
        <div class="form-row">
          <Input {...p} field="after" label="Silent for" />
          <Input {...p} field="by" label="Per (labels)" />
        </div>
      ) : null}
      {!['threshold', 'absence', 'rate_of_change', 'forecast', 'anomaly'].includes(form.type) ? (
        <label class="field">
          <span class="field-label">Spec (JSON)</span>
          <textarea class="input code-area" value={form.specJson} onInput={(e) => set('specJson', (e.target as HTMLTextAreaElement).value)} />
        </label>
      ) : null}
    </div>
  );
}

function Preview({ form }: { form: RuleForm }) {
  const { api, serverClock } = useServices();
  const debounced = useDebounced(form, 600);
  const [preview, setPreview] = useState<{ result?: RuleDryRunResult; error?: string } | null>(null);
  const [week, setWeek] = useState<{ result?: RuleDryRunResult; error?: string } | null>(null);
  useEffect(() => {
    const built = ruleInputFromForm({ ...debounced, name: debounced.name || 'preview' });
    if ('error' in built) return setPreview({ error: built.error });
    const controller = new AbortController();
    const end = serverClock.serverNow();
    api.post<RuleDryRunResult>('/api/v1/rules/dry-run', { rule: built.rule, start: end - 6 * 3_600_000, end }, controller.signal).then(
      (result) => setPreview({ result }),
      (err: Error) => !controller.signal.aborted && setPreview({ error: err.message }),
    );
    return () => controller.abort();
  }, [debounced, api, serverClock]);
  const runWeek = () => {
    const built = ruleInputFromForm({ ...form, name: form.name || 'dry-run' });
    if ('error' in built) return setWeek({ error: built.error });
    setWeek(null);
    api.post<RuleDryRunResult>('/api/v1/rules/dry-run', { rule: built.rule }).then((result) => setWeek({ result }), (err: Error) => setWeek({ error: err.message }));
  };
  const r = preview?.result;
  return (
    <section class="panel" data-preview>
      <header class="panel-header">
        <h2 class="panel-title">Live preview (last 6 hours)</h2>
        <div class="panel-actions">
          <button type="button" class="button button-small" onClick={runWeek} data-dry-run>
            Dry run: last 7 days
          </button>
        </div>
      </header>
      <div class="panel-body stack">
        {preview?.error ? <p class="field-error">{preview.error}</p> : null}
        {r ? (
          <>
            <p class="fires-summary">{firesSummary(r)}</p>
            {r.series.length ? <TimeChart data={dryRunChart(r)} unit="none" windowStart={r.start} windowEnd={r.end} label="rule preview" /> : <p class="muted">No stored samples match the selector in this range.</p>}
          </>
        ) : null}
        {week?.error ? <p class="field-error">{week.error}</p> : null}
        {week?.result ? (
          <div data-dry-run-result>
            <p class="fires-summary">{firesSummary(week.result)}</p>
            <ol class="event-list">
              {week.result.events
                .filter((e) => e.to === 'firing')
                .map((e, i) => (
                  <li key={i}>
                    {new Date(e.ts).toLocaleString()} — {Object.entries(e.labels).filter(([k]) => k !== 'alertname' && k !== 'severity').map(([k, v]) => `${k}=${v}`).join(', ')} ({e.severity}, {e.value ?? '–'})
                  </li>
                ))}
            </ol>
            {week.result.series.length ? <TimeChart data={dryRunChart(week.result)} unit="none" windowStart={week.result.start} windowEnd={week.result.end} label="dry run" /> : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** Create or edit a rule, with a live preview on a chart and a 7-day dry run. */
export function RuleEditorPage({ params }: PageProps) {
  const { api, location } = useServices();
  const { can } = usePermissions();
  const id = params.id ?? null;
  const [form, setForm] = useState<RuleForm>(emptyRuleForm());
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [types, setTypes] = useState<string[]>(['threshold', 'absence', 'rate_of_change']);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    api.get<{ types: { type: string }[] }>('/api/v1/rule-types').then((r) => setTypes(r.types.map((t) => t.type)), () => {});
    if (!id) return;
    api.get<RuleView>(`/api/v1/rules/${encodeURIComponent(id)}`).then(
      (r) => {
        setForm(formFromRule(r));
        setVersion(r.version);
      },
      (err: Error) => setStatus({ ok: false, text: err.message }),
    );
  }, [api, id]);
  // Forecast rules need an interval of at least a minute: move the 30 s default along.
  const set = (f: Field, v: string) => setForm((x) => ({ ...x, [f]: f === 'enabled' ? v === 'true' : v, ...(f === 'type' && v === 'forecast' && x.interval === '30s' ? { interval: '1m' } : {}) }));
  const save = (e: Event) => {
    e.preventDefault();
    const built = ruleInputFromForm(form);
    if ('error' in built) return setStatus({ ok: false, text: built.error });
    const req = id ? api.request<RuleView>('PUT', `/api/v1/rules/${id}${version ? `?version=${version}` : ''}`, built.rule) : api.post<RuleView>('/api/v1/rules', built.rule);
    req.then(
      (r) => {
        setStatus({ ok: true, text: 'Saved.' });
        setVersion(r.version);
        if (!id) location.navigate(`/rules/${r.id}`, { replace: true });
      },
      (err: unknown) => setStatus({ ok: false, text: err instanceof ApiError ? `${err.message}${(err.details as { field?: string } | undefined)?.field ? ` (${(err.details as { field: string }).field})` : ''}` : String(err) }),
    );
  };
  const remove = () => {
    if (!id || !window.confirm(`Delete rule "${form.name}" and its alerts?`)) return;
    api.request('DELETE', `/api/v1/rules/${id}`).then(() => location.navigate('/rules'), (err: Error) => setStatus({ ok: false, text: err.message }));
  };
  const p = { form, set };
  return (
    <div class="page" data-page="rule-editor">
      <p class="breadcrumb">
        <Link href="/rules">Rules</Link> / {id ? form.name || id : 'new'}
      </p>
      <form class="panel" onSubmit={save} data-rule-form>
        <header class="panel-header">
          <h1 class="panel-title">{id ? 'Edit rule' : 'New rule'}</h1>
        </header>
        <div class="panel-body stack">
          <div class="form-row">
            <Input {...p} field="name" label="Name" />
            <Input {...p} field="for" label="For (pending)" />
            <Input {...p} field="keepFiringFor" label="Keep firing for" />
            <Input {...p} field="interval" label="Evaluation interval" />
          </div>
          <SpecFields form={form} set={set} types={types} />
          <Input {...p} field="description" label="Description" wide />
          <Input {...p} field="runbookUrl" label="Runbook URL" wide />
          <label class="field">
            <span class="field-label">Labels (name=value per line)</span>
            <textarea class="input" rows={3} value={form.labels} onInput={(e) => set('labels', (e.target as HTMLTextAreaElement).value)} />
          </label>
          <label class="field">
            <span class="field-label">Suggested fixes (empty: built-in default for CPU, memory, disk, network, agent down)</span>
            <textarea class="input" rows={4} value={form.suggestedFixes} onInput={(e) => set('suggestedFixes', (e.target as HTMLTextAreaElement).value)} />
          </label>
          <label>
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', String((e.target as HTMLInputElement).checked))} /> enabled
          </label>
          {status ? <p class={`form-status ${status.ok ? 'form-ok' : 'field-error'}`} role="status">{status.text}</p> : null}
          {can('write:incidents') ? (
            <div class="toolbar">
              <button type="submit" class="button button-primary">
                Save
              </button>
              {id ? (
                <button type="button" class="button button-ghost" onClick={remove}>
                  Delete
                </button>
              ) : null}
            </div>
          ) : null}
        </div>
      </form>
      <Preview form={form} />
    </div>
  );
}
