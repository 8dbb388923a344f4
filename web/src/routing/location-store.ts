/** The current client-side location: pathname plus query string (with `?`, or empty). */
export interface AppLocation {
  pathname: string;
  search: string;
}

/** Options of {@link LocationStore.navigate}. */
export interface NavigateOptions {
  /** Replace the current history entry instead of pushing one (default false). */
  replace?: boolean;
}

/**
 * Client-side routing state over the History API: `navigate()` pushes a same-origin path and
 * notifies subscribers; back/forward (popstate) does the same. The server answers every unknown
 * path with index.html, so deep links and reloads land here too.
 */
export class LocationStore {
  private readonly listeners = new Set<(loc: AppLocation) => void>();
  private current: AppLocation;
  private readonly onPopState = () => this.update();

  constructor(private readonly win: Window = window) {
    this.current = this.read();
    win.addEventListener('popstate', this.onPopState);
  }

  /** The current location. */
  get location(): AppLocation {
    return this.current;
  }

  /** Goes to `to` (a path with optional query, e.g. `/hosts/a?range=1h`). */
  navigate(to: string, options: NavigateOptions = {}): void {
    const target = new URL(to, this.win.location.href);
    if (target.origin !== this.win.location.origin) throw new RangeError('navigate() only accepts same-origin paths');
    const href = target.pathname + target.search + target.hash;
    if (href === this.win.location.pathname + this.win.location.search + this.win.location.hash) return;
    if (options.replace) this.win.history.replaceState(null, '', href);
    else this.win.history.pushState(null, '', href);
    const pathChanged = target.pathname !== this.current.pathname;
    this.update();
    if (pathChanged && !options.replace) this.win.scrollTo(0, 0);
  }

  /** Listens to location changes; returns the remover. */
  subscribe(listener: (loc: AppLocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Removes the popstate listener (app teardown). */
  dispose(): void {
    this.win.removeEventListener('popstate', this.onPopState);
    this.listeners.clear();
  }

  private read(): AppLocation {
    return { pathname: this.win.location.pathname, search: this.win.location.search };
  }

  private update(): void {
    const next = this.read();
    if (next.pathname === this.current.pathname && next.search === this.current.search) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
  }
}
