import { useState } from 'preact/hooks';
import { useServices } from '../../hooks/app-services.js';
import { useResource } from '../../hooks/use-resource.js';
import { filterFromApiQuery, filterToApiQuery, filterToQuery, type SecurityFilter } from '../../security/event-filter.js';
import { fetchSavedFilters, storeSavedFilters, withSavedFilter, withoutSavedFilter, type SavedFilter } from '../../security/saved-filters.js';

/** Props of {@link SavedFilters}. */
export interface SavedFiltersProps {
  filter: SecurityFilter;
  /** Opens a saved filter: the SOC page query string to navigate to. */
  onLoad: (pageQuery: string) => void;
}

/**
 * The signed-in user's saved filters: pick one to load it, save the current filter under a name
 * (same name replaces), delete one. Stored on the server per user as `GET /api/v1/events` query
 * strings, so API clients can replay them.
 */
export function SavedFilters({ filter, onLoad }: SavedFiltersProps) {
  const { api } = useServices();
  const saved = useResource((signal) => fetchSavedFilters(api, signal), []);
  const [name, setName] = useState('');
  const [selected, setSelected] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = saved.data ?? [];
  const store = (next: SavedFilter[]) =>
    storeSavedFilters(api, next).then(
      (stored) => {
        setError(null);
        saved.update(() => stored);
      },
      (err: Error) => setError(err.message),
    );
  const save = (e: Event) => {
    e.preventDefault();
    const result = withSavedFilter(list, name, filterToApiQuery(filter));
    if ('error' in result) return setError(result.error);
    setSelected(name.trim());
    setName('');
    void store(result);
  };
  const pick = (value: string) => {
    setSelected(value);
    const found = list.find((f) => f.name === value);
    if (found) onLoad(filterToQuery(filterFromApiQuery(found.query)));
  };
  return (
    <form class="inline-form saved-filters" onSubmit={save} data-saved-filters>
      <label class="field">
        <span class="field-label">Saved filters</span>
        <select class="input input-op" value={selected} data-saved-select onChange={(e) => pick((e.target as HTMLSelectElement).value)} disabled={saved.status === 'loading'}>
          <option value="">{list.length ? 'choose…' : 'none saved'}</option>
          {list.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" class="button button-small button-ghost" data-saved-delete disabled={!selected} onClick={() => (setSelected(''), void store(withoutSavedFilter(list, selected)))}>
        Delete
      </button>
      <label class="field">
        <span class="field-label">Save current as</span>
        <input class="input input-op" name="saved-name" value={name} maxLength={100} placeholder="name" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" class="button button-small" data-saved-save disabled={!name.trim()}>
        Save
      </button>
      {error || saved.error ? (
        <span class="field-error" role="alert">
          {error ?? saved.error?.message}
        </span>
      ) : null}
    </form>
  );
}
