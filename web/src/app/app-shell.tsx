import type { ComponentChildren } from 'preact';
import { ConnectionIndicator } from '../components/connection-indicator.js';
import { Link } from '../components/link.js';
import { NotificationCenter } from '../notifications/notification-center.js';
import type { PageDefinition } from '../pages/page-registry.js';
import type { SessionUser } from '../pages/login-page.js';

/** Props of {@link AppShell}. */
export interface AppShellProps {
  pages: readonly PageDefinition[];
  /** Id of the nav entry to mark as current. */
  currentNav: string | null;
  user: SessionUser;
  onLogout: () => void;
  children: ComponentChildren;
}

/** Header (brand, navigation, live-connection indicator, user and logout) around a page. */
export function AppShell({ pages, currentNav, user, onLogout, children }: AppShellProps) {
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/" class="brand" aria-label="Vigil overview">
          <span class="brand-mark" aria-hidden="true" />
          Vigil
        </Link>
        <nav class="nav" aria-label="Main">
          {pages
            .filter((p) => p.nav)
            .map((p) => (
              <Link key={p.id} href={p.path} class="nav-link" aria-current={currentNav === p.id ? 'page' : undefined} data-nav={p.id}>
                {p.nav}
              </Link>
            ))}
        </nav>
        <div class="topbar-right">
          <ConnectionIndicator />
          <NotificationCenter />
          <Link href="/account" class="user" title={`role: ${user.role} — your account`} data-user-menu>
            {user.username}
          </Link>
          <button type="button" class="button button-ghost" onClick={onLogout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
