/** Path parameters captured by a route pattern, decoded. */
export type RouteParams = Record<string, string>;

/**
 * Matches a pathname against a pattern such as `/hosts/:id`. Segments starting with `:` capture
 * one non-empty path segment (URL-decoded); others must match exactly. A trailing slash is
 * ignored. Malformed percent-encoding never throws: the path simply does not match.
 * @returns the captured params, or null when the path does not match
 */
export function matchRoute(pattern: string, pathname: string): RouteParams | null {
  const want = splitPath(pattern);
  const have = splitPath(pathname);
  if (want.length !== have.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const h = have[i] as string;
    if (w.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(h);
      } catch {
        return null;
      }
      if (value === '') return null;
      params[w.slice(1)] = value;
    } else if (w !== h) return null;
  }
  return params;
}

/** Fills a pattern's `:name` segments with encoded params, e.g. `/hosts/:id` → `/hosts/a%2Fb`. */
export function buildPath(pattern: string, params: RouteParams = {}): string {
  const parts = splitPath(pattern).map((segment) => {
    if (!segment.startsWith(':')) return segment;
    const value = params[segment.slice(1)];
    if (value === undefined || value === '') throw new RangeError(`missing route parameter ${segment}`);
    return encodeURIComponent(value);
  });
  return `/${parts.join('/')}`;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
}
