import { useEffect, useState } from 'preact/hooks';
import { SECURITY_EVENT_TYPES, SEVERITIES, TRIAGE_STATES } from '../../../../src/protocol/security.js';
import { instantToLocalInput, MAX_TEXT_QUERY, localInputToInstant, SORTS, toggle, type SecurityFilter } from '../../security/event-filter.js';

/** Props of {@link FilterBar}. */
export interface FilterBarProps {
  filter: SecurityFilter;
  /** Applies a new filter (the page puts it in the URL). */
  onChange: (f: SecurityFilter) => void;
}

/** Label of a triage state in the UI. */
export function triageText(state: string): string {
  return state.replace('_', ' ');
}

/**
 * The SOC filter bar. Toggles (severity, triage, types, suppressed, sort) apply at once; the
 * text fields (host, free text, from/to) apply on submit so typing does not query per keystroke.
 */
export function FilterBar({ filter, onChange }: FilterBarProps) {
  const [host, setHost] = useState(filter.host);
  const [q, setQ] = useState(filter.q);
  const [from, setFrom] = useState(instantToLocalInput(filter.from));
  const [to, setTo] = useState(instantToLocalInput(filter.to));
  // Navigation (back, a saved filter, a facet click) replaces the filter: show its values.
  useEffect(() => {
    setHost(filter.host);
    setQ(filter.q);
    setFrom(instantToLocalInput(filter.from));
    setTo(instantToLocalInput(filter.to));
  }, [filter.host, filter.q, filter.from, filter.to]);
  const submit = (e: Event) => {
    e.preventDefault();
    onChange({ ...filter, host: host.trim(), q: q.trim(), from: localInputToInstant(from), to: localInputToInstant(to) });
  };
  return (
    <form class="soc-filters stack" onSubmit={submit} aria-label="Filter security events" data-soc-filters>
      <div class="toolbar">
        <div class="segmented" role="group" aria-label="Severity">
          {SEVERITIES.map((s) => (
            <button key={s} type="button" class="segmented-item" aria-pressed={filter.severities.includes(s)} data-severity-toggle={s} onClick={() => onChange({ ...filter, severities: toggle(filter.severities, s, SEVERITIES) })}>
              {s}
            </button>
          ))}
        </div>
        <div class="segmented" role="group" aria-label="Triage state">
          {TRIAGE_STATES.map((s) => (
            <button key={s} type="button" class="segmented-item" aria-pressed={filter.triage.includes(s)} data-triage-toggle={s} onClick={() => onChange({ ...filter, triage: toggle(filter.triage, s, TRIAGE_STATES) })}>
              {triageText(s)}
            </button>
          ))}
        </div>
        <details class="type-picker" data-type-picker>
          <summary class="button">{filter.types.length ? `Types (${filter.types.length})` : 'All types'}</summary>
          <div class="type-picker-list" role="group" aria-label="Event types">
            {SECURITY_EVENT_TYPES.map((t) => (
              <label key={t} class="check">
                <input type="checkbox" checked={filter.types.includes(t)} data-type-toggle={t} onChange={() => onChange({ ...filter, types: toggle(filter.types, t, SECURITY_EVENT_TYPES) })} /> {t}
              </label>
            ))}
          </div>
        </details>
        <label class="check">
          <input type="checkbox" checked={filter.includeSuppressed} data-include-suppressed onChange={(e) => onChange({ ...filter, includeSuppressed: (e.target as HTMLInputElement).checked })} /> include suppressed
        </label>
        <label class="field-inline">
          <span class="field-label">Sort</span>
          <select class="input input-op" aria-label="Sort" value={filter.sort} data-sort onChange={(e) => onChange({ ...filter, sort: (e.target as HTMLSelectElement).value === 'severity' ? 'severity' : 'time' })}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {s === 'time' ? 'newest first' : 'critical first'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="toolbar">
        <input class="input input-op" name="host" aria-label="Host" placeholder="host" value={host} maxLength={255} onInput={(e) => setHost((e.target as HTMLInputElement).value)} />
        <label class="field-inline">
          <span class="field-label">From</span>
          <input class="input input-op" type="datetime-local" name="from" aria-label="From" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field-inline">
          <span class="field-label">To</span>
          <input class="input input-op" type="datetime-local" name="to" aria-label="To" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <input class="input field-grow" name="q" aria-label="Search descriptions" placeholder="search descriptions" value={q} maxLength={MAX_TEXT_QUERY} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <button type="submit" class="button button-primary" data-apply>
          Apply
        </button>
      </div>
    </form>
  );
}
