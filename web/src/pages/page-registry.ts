import type { ComponentType } from 'preact';
import { matchRoute, type RouteParams } from '../routing/route-pattern.js';
import { ExplorePage } from './explore/explore-page.js';
import { HostPage } from './host/host-page.js';
import { OverviewPage } from './overview/overview-page.js';
import type { PageProps } from './page-props.js';

/** A page of the dashboard. Add new pages (Alerts, Security, …) to {@link PAGES}. */
export interface PageDefinition {
  /** Stable id (used for the nav's current-page marker and by tests). */
  id: string;
  /** Route pattern, e.g. `/hosts/:id`. */
  path: string;
  /** Document title part. */
  title: string;
  /** When set, the page appears in the header navigation with this label, in array order. */
  nav?: string;
  /** Nav entry that is highlighted while this page is shown (default: its own id). */
  navParent?: string;
  component: ComponentType<PageProps>;
}

/** Every page, in navigation order. The one place where pages are registered. */
export const PAGES: readonly PageDefinition[] = [
  { id: 'overview', path: '/', title: 'Overview', nav: 'Overview', component: OverviewPage },
  { id: 'host', path: '/hosts/:id', title: 'Host', navParent: 'overview', component: HostPage },
  { id: 'explore', path: '/explore', title: 'Explore', nav: 'Explore', component: ExplorePage },
];

/** The page for a pathname and its params, or null (not found). */
export function resolvePage(pathname: string, pages: readonly PageDefinition[] = PAGES): { page: PageDefinition; params: RouteParams } | null {
  for (const page of pages) {
    const params = matchRoute(page.path, pathname);
    if (params) return { page, params };
  }
  return null;
}
