import { SECURITY_EVENT_TYPES, SEVERITIES, TRIAGE_STATES, type SecurityEventFacets } from '../../../../src/protocol/security.js';
import { facetEntries } from '../../security/event-list.js';
import { toggle, type SecurityFilter } from '../../security/event-filter.js';
import { triageText } from './filter-bar.js';

/**
 * Counts per severity, type and triage state over the whole filtered result. Clicking one adds
 * (or removes) it as a filter.
 */
export function FacetList({ facets, filter, onChange }: { facets: SecurityEventFacets; filter: SecurityFilter; onChange: (f: SecurityFilter) => void }) {
  return (
    <div class="facets" data-facets>
      <div class="facet-group" role="group" aria-label="Severity counts">
        <span class="field-label">Severity</span>
        {facetEntries(facets.severity, SEVERITIES).map(([s, n]) => (
          <button key={s} type="button" class={`facet severity-${s}`} aria-pressed={filter.severities.includes(s)} data-facet={`severity:${s}`} data-count={n} onClick={() => onChange({ ...filter, severities: toggle(filter.severities, s, SEVERITIES) })}>
            {s} <strong>{n}</strong>
          </button>
        ))}
      </div>
      <div class="facet-group" role="group" aria-label="Type counts">
        <span class="field-label">Type</span>
        {facetEntries(facets.event_type, SECURITY_EVENT_TYPES).map(([t, n]) => (
          <button key={t} type="button" class="facet" aria-pressed={filter.types.includes(t)} data-facet={`event_type:${t}`} data-count={n} onClick={() => onChange({ ...filter, types: toggle(filter.types, t, SECURITY_EVENT_TYPES) })}>
            {t} <strong>{n}</strong>
          </button>
        ))}
      </div>
      <div class="facet-group" role="group" aria-label="Triage counts">
        <span class="field-label">Triage</span>
        {facetEntries(facets.triage, TRIAGE_STATES).map(([t, n]) => (
          <button key={t} type="button" class="facet" aria-pressed={filter.triage.includes(t)} data-facet={`triage:${t}`} data-count={n} onClick={() => onChange({ ...filter, triage: toggle(filter.triage, t, TRIAGE_STATES) })}>
            {triageText(t)} <strong>{n}</strong>
          </button>
        ))}
      </div>
    </div>
  );
}
