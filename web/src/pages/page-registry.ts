import type { ComponentType } from 'preact';
import { matchRoute, type RouteParams } from '../routing/route-pattern.js';
import { AccountPage } from './admin/account-page.js';
import { AuditPage } from './admin/audit-page.js';
import { KeysPage } from './admin/keys-page.js';
import { UsersPage } from './admin/users-page.js';
import { AlertDetailPage } from './alerts/alert-detail-page.js';
import { AlertsPage } from './alerts/alerts-page.js';
import { ExplorePage } from './explore/explore-page.js';
import { HostPage } from './host/host-page.js';
import { OverviewPage } from './overview/overview-page.js';
import { NotifyPage } from './notify/notify-page.js';
import type { PageProps } from './page-props.js';
import { PredictionsPage } from './predictions/predictions-page.js';
import { PreferencesPage } from './preferences/preferences-page.js';
import { RuleEditorPage } from './rules/rule-editor-page.js';
import { RulesPage } from './rules/rules-page.js';
import { EventDetailPage } from './security/event-detail-page.js';
import { SecurityPage } from './security/security-page.js';
import { SuppressionsPage } from './security/suppressions-page.js';
import { SilencesPage } from './silences/silences-page.js';
import { StoragePage } from './settings/storage-page.js';

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
  /**
   * Permission the page needs (absent: any signed-in user). Users without it get neither the
   * nav entry nor the page; the server checks every API call again regardless.
   */
  permission?: string;
  component: ComponentType<PageProps>;
}

/** Every page, in navigation order. The one place where pages are registered. */
export const PAGES: readonly PageDefinition[] = [
  { id: 'overview', path: '/', title: 'Overview', nav: 'Overview', component: OverviewPage },
  { id: 'host', path: '/hosts/:id', title: 'Host', navParent: 'overview', permission: 'read:metrics', component: HostPage },
  { id: 'explore', path: '/explore', title: 'Explore', nav: 'Explore', permission: 'read:metrics', component: ExplorePage },
  { id: 'predictions', path: '/predictions', title: 'Predictions', nav: 'Predictions', permission: 'read:metrics', component: PredictionsPage },
  { id: 'alerts', path: '/alerts', title: 'Alerts', nav: 'Alerts', permission: 'read:incidents', component: AlertsPage },
  { id: 'alert', path: '/alerts/:id', title: 'Alert', navParent: 'alerts', permission: 'read:incidents', component: AlertDetailPage },
  { id: 'rules', path: '/rules', title: 'Rules', nav: 'Rules', permission: 'read:incidents', component: RulesPage },
  { id: 'rule-new', path: '/rules/new', title: 'New rule', navParent: 'rules', permission: 'read:incidents', component: RuleEditorPage },
  { id: 'rule', path: '/rules/:id', title: 'Rule', navParent: 'rules', permission: 'read:incidents', component: RuleEditorPage },
  { id: 'silences', path: '/silences', title: 'Silences', navParent: 'alerts', permission: 'read:incidents', component: SilencesPage },
  { id: 'notify', path: '/notifications', title: 'Routes and channels', navParent: 'alerts', permission: 'read:incidents', component: NotifyPage },
  { id: 'security', path: '/security', title: 'Security', nav: 'Security', permission: 'read:incidents', component: SecurityPage },
  { id: 'security-event', path: '/security/events/:id', title: 'Security event', navParent: 'security', permission: 'read:incidents', component: EventDetailPage },
  { id: 'suppressions', path: '/security/suppressions', title: 'Suppressions', navParent: 'security', permission: 'read:incidents', component: SuppressionsPage },
  { id: 'preferences', path: '/preferences', title: 'Notification preferences', component: PreferencesPage },
  { id: 'users', path: '/admin/users', title: 'Users', nav: 'Users', permission: 'read:users', component: UsersPage },
  { id: 'keys', path: '/admin/keys', title: 'API keys', nav: 'API keys', component: KeysPage },
  { id: 'audit', path: '/admin/audit', title: 'Audit log', nav: 'Audit', permission: 'read:audit', component: AuditPage },
  { id: 'storage', path: '/settings/storage', title: 'Storage', nav: 'Storage', permission: 'manage:settings', component: StoragePage },
  { id: 'account', path: '/account', title: 'Your account', component: AccountPage },
];

/** The page for a pathname and its params, or null (not found). */
export function resolvePage(pathname: string, pages: readonly PageDefinition[] = PAGES): { page: PageDefinition; params: RouteParams } | null {
  for (const page of pages) {
    const params = matchRoute(page.path, pathname);
    if (params) return { page, params };
  }
  return null;
}
