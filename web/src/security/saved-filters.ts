import type { SavedFilters } from '../../../src/protocol/security.js';
import type { ApiClient } from '../api/api-client.js';

/** A saved filter of the signed-in user: a name and a `GET /api/v1/events` query string (without `?`). */
export type SavedFilter = SavedFilters['filters'][number];

/** Saved filters a user may keep (the server caps it too). */
export const MAX_SAVED_FILTERS = 50;
/** Longest name of a saved filter, characters. */
export const MAX_SAVED_NAME = 100;

const PATH = '/api/v1/events/saved-filters';

/** The signed-in user's saved filters. */
export function fetchSavedFilters(api: ApiClient, signal?: AbortSignal): Promise<SavedFilter[]> {
  return api.get<SavedFilters>(PATH, undefined, signal).then((r) => r.filters);
}

/** Replaces the signed-in user's saved filters; answers the stored list. */
export function storeSavedFilters(api: ApiClient, filters: SavedFilter[]): Promise<SavedFilter[]> {
  return api.request<SavedFilters>('PUT', PATH, { filters }).then((r) => r.filters);
}

/**
 * The list with `query` saved under `name` (replacing a filter of the same name, else appended),
 * or an error message for the form.
 */
export function withSavedFilter(list: readonly SavedFilter[], name: string, query: string): SavedFilter[] | { error: string } {
  const n = name.trim();
  if (!n) return { error: 'Give the filter a name.' };
  if (n.length > MAX_SAVED_NAME) return { error: `Names are at most ${MAX_SAVED_NAME} characters.` };
  const exists = list.some((f) => f.name === n);
  if (!exists && list.length >= MAX_SAVED_FILTERS) return { error: `At most ${MAX_SAVED_FILTERS} saved filters; delete one first.` };
  return exists ? list.map((f) => (f.name === n ? { name: n, query } : f)) : [...list, { name: n, query }];
}

/** The list without the filter named `name`. */
export function withoutSavedFilter(list: readonly SavedFilter[], name: string): SavedFilter[] {
  return list.filter((f) => f.name !== name);
}
