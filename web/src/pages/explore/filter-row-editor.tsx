import type { MatchOp } from '../../../../src/protocol/selector.js';
import { useServices } from '../../hooks/app-services.js';
import { useResource } from '../../hooks/use-resource.js';
import { FILTER_OPS, type FilterRow } from './explore-query.js';

/** Props of {@link FilterRowEditor}. */
export interface FilterRowEditorProps {
  index: number;
  row: FilterRow;
  /** The metric, to offer only label names/values that exist for it. */
  metric: string;
  labelNames: string[];
  onChange: (row: FilterRow) => void;
  onRemove: () => void;
}

/** One label filter: label name, operator, value (with suggestions from the server), remove. */
export function FilterRowEditor({ index, row, metric, labelNames, onChange, onRemove }: FilterRowEditorProps) {
  const { api } = useServices();
  const name = row.name.trim();
  const values = useResource(
    (signal) =>
      name && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)
        ? api.get<{ values: string[] }>(`/api/v1/labels/${encodeURIComponent(name)}/values`, { match: metric || undefined }, signal).then((r) => r.values)
        : Promise.resolve([] as string[]),
    [name, metric],
    { resync: false },
  );
  const listId = `filter-values-${index}`;
  const namesId = `filter-names-${index}`;
  return (
    <div class="filter-row" role="group" aria-label={`Filter ${index + 1}`}>
      <input class="input" aria-label="Label name" placeholder="label" list={namesId} value={row.name} onInput={(e) => onChange({ ...row, name: e.currentTarget.value })} spellcheck={false} autocomplete="off" />
      <datalist id={namesId}>
        {labelNames.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <select class="input input-op" aria-label="Operator" value={row.op} onChange={(e) => onChange({ ...row, op: e.currentTarget.value as MatchOp })}>
        {FILTER_OPS.map((op) => (
          <option key={op} value={op}>
            {op}
          </option>
        ))}
      </select>
      <input
        class="input"
        aria-label="Label value"
        placeholder={row.op.endsWith('~') ? 'regex' : 'value'}
        list={listId}
        value={row.value}
        onInput={(e) => onChange({ ...row, value: e.currentTarget.value })}
        spellcheck={false}
        autocomplete="off"
      />
      <datalist id={listId}>
        {(values.data ?? []).slice(0, 500).map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      <button type="button" class="button button-ghost" aria-label={`Remove filter ${index + 1}`} onClick={onRemove}>
        ✕
      </button>
    </div>
  );
}
