/**
 * Returns `pathname` with `search` updated by `changes` (null removes a key), e.g. for putting
 * a page's state (time range, live mode, explorer query) in the URL so it survives reloads and
 * can be shared.
 */
export function withSearch(pathname: string, search: string | URLSearchParams, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `${pathname}?${text}` : pathname;
}
