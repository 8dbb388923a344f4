import type { RouteParams } from '../routing/route-pattern.js';

/** What every page component receives from the router. */
export interface PageProps {
  /** Decoded path parameters, e.g. `{ id }` for `/hosts/:id`. */
  params: RouteParams;
  /** The current query string. */
  search: URLSearchParams;
  /** The current pathname (for building links that keep the page). */
  pathname: string;
}
