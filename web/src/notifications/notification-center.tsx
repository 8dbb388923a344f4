import { useCallback, useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { InboxItem, NotificationsLiveData } from '../../../src/protocol/alerting.js';
import { Link } from '../components/link.js';
import { SeverityBadge } from '../components/severity-badge.js';
import { useLocation } from '../hooks/use-location.js';
import { useServices } from '../hooks/app-services.js';
import { useLiveSubscription } from '../hooks/use-live-subscription.js';
import { formatAgo } from '../format/format-ago.js';
import { bellLabel, inboxTarget, reduceInbox, toastsFor } from './inbox-state.js';
import '../styles/alerting.css';

/** How long a toast stays, ms. */
const TOAST_MS = 12_000;
/** Most toasts on screen at once. */
const TOASTS_MAX = 3;

/** The dropdown list of the notification center. */
function InboxPanel(p: { items: InboxItem[]; unread: number; error: string | null; onReadAll: () => void; onOpen: (i: InboxItem) => void; onRead: (id: string) => void; onDismiss: (id: string) => void }) {
  return (
    <div class="inbox-panel" role="dialog" aria-label="Notifications" data-inbox>
      <div class="inbox-head">
        <strong>Notifications</strong>
        <button type="button" class="button button-small button-ghost" onClick={p.onReadAll} disabled={p.unread === 0}>
          Mark all read
        </button>
        <Link class="button button-small button-ghost" href="/preferences">
          Preferences
        </Link>
      </div>
      {p.error ? (
        <p class="field-error" role="alert">
          {p.error}
        </p>
      ) : null}
      {p.items.length === 0 ? <p class="inbox-empty">Nothing yet. Alerts routed to you and high/critical security events appear here.</p> : null}
      <ul class="inbox-list">
        {p.items.map((i) => (
          <li key={i.id} class={`inbox-item ${i.readAt === null ? 'inbox-unread' : ''}`} data-inbox-item={i.id}>
            <button type="button" class="inbox-open" onClick={() => p.onOpen(i)}>
              <SeverityBadge severity={i.severity} />
              <span class="inbox-title">{i.title}</span>
              <span class="inbox-time muted">{formatAgo(Date.now() - i.createdAt)}</span>
            </button>
            <div class="inbox-actions">
              {i.readAt === null ? (
                <button type="button" class="button button-small button-ghost" onClick={() => p.onRead(i.id)}>
                  Mark read
                </button>
              ) : null}
              <button type="button" class="button button-small button-ghost" onClick={() => p.onDismiss(i.id)} aria-label={`Dismiss ${i.title}`}>
                Dismiss
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The notification center in the header: a bell with the unread count, a dropdown inbox (mark
 * read, dismiss, mark all read) and pop-up toasts for critical alerts. Pushed live over the
 * `notifications` topic (to this user only); reloaded after a reconnect.
 */
export function NotificationCenter() {
  const { api, live, location, scheduler } = useServices();
  const [state, dispatch] = useReducer(reduceInbox, { items: [], unread: 0 });
  const [open, setOpen] = useState(false);
  const [toasts, setToasts] = useState<InboxItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const timers = useRef(new Set<number>());
  const rootRef = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    api.get<{ items: InboxItem[]; unread: number }>('/api/v1/me/inbox').then(
      (r) => {
        setError(null);
        dispatch({ kind: 'loaded', items: r.items, unread: r.unread });
      },
      (err: Error) => setError(err.message),
    );
  }, [api]);
  useEffect(load, [load]);
  useEffect(() => live.onResync(load), [live, load]);
  useEffect(
    () => () => {
      for (const t of timers.current) scheduler.clearTimeout(t);
      timers.current.clear();
    },
    [scheduler],
  );

  const dropToast = useCallback((id: string) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);

  useLiveSubscription({ topic: 'notifications' }, (msg) => {
    if (msg.type !== 'event') return;
    const data = msg.data as NotificationsLiveData;
    if (!('item' in data)) {
      dispatch({ kind: 'unread', unread: data.unread });
      return;
    }
    dispatch({ kind: 'added', item: data.item, unread: data.unread });
    if (toastsFor(data.item)) {
      setToasts((ts) => [data.item, ...ts].slice(0, TOASTS_MAX));
      const t = scheduler.setTimeout(() => {
        timers.current.delete(t);
        dropToast(data.item.id);
      }, TOAST_MS);
      timers.current.add(t);
    }
  });

  const { pathname } = useLocation();
  useEffect(() => setOpen(false), [pathname]);

  // Close the dropdown on Escape or a click outside it.
  useEffect(() => {
    if (!open) return undefined;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onClick = (e: MouseEvent) => rootRef.current && !rootRef.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const markRead = (id: string) => {
    dispatch({ kind: 'read', id, at: Date.now() });
    api.post(`/api/v1/me/inbox/${id}/read`).catch((err: Error) => setError(err.message));
  };
  const dismiss = (id: string) => {
    dispatch({ kind: 'dismissed', id });
    api.request('DELETE', `/api/v1/me/inbox/${id}`).catch((err: Error) => setError(err.message));
  };
  const readAll = () => {
    dispatch({ kind: 'all-read', at: Date.now() });
    api.post('/api/v1/me/inbox/read-all').catch((err: Error) => setError(err.message));
  };
  const openItem = (i: InboxItem) => {
    markRead(i.id);
    setOpen(false);
    dropToast(i.id);
    const target = inboxTarget(i);
    if (target) location.navigate(target);
  };

  return (
    <div class="notify-center" ref={rootRef} data-unread={state.unread}>
      <button type="button" class="bell-button" aria-label={bellLabel(state.unread)} title={bellLabel(state.unread)} aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} data-bell>
        <span class="bell-icon" aria-hidden="true" />
        {state.unread > 0 ? <span class="bell-count" data-bell-count>{state.unread > 99 ? '99+' : state.unread}</span> : null}
      </button>
      {open ? <InboxPanel items={state.items} unread={state.unread} error={error} onReadAll={readAll} onOpen={openItem} onRead={markRead} onDismiss={dismiss} /> : null}
      <div class="toast-stack" aria-live="assertive">
        {toasts.map((t) => (
          <div key={t.id} class="toast toast-critical" role="alert" data-toast={t.id}>
            <button type="button" class="toast-body" onClick={() => openItem(t)}>
              <SeverityBadge severity={t.severity} />
              <span>{t.title}</span>
            </button>
            <button type="button" class="button button-small button-ghost" aria-label="Close" onClick={() => dropToast(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
