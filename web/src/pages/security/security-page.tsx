import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/api-error.js';
import { Link } from '../../components/link.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { useLiveSubscription } from '../../hooks/use-live-subscription.js';
import { useResource } from '../../hooks/use-resource.js';
import { withSearch } from '../../routing/with-search.js';
import { filterFromSearch, filterToQuery, filterToSearchChanges, type SecurityFilter } from '../../security/event-filter.js';
import { addLiveEvent, appendPage, fromFirstPage, matchesFilter } from '../../security/event-list.js';
import { exportUrl, fetchEvents, SECURITY_EVENTS_TOPIC, type SecurityEventsLiveData } from '../../security/security-api.js';
import type { PageProps } from '../page-props.js';
import { EventTable } from './event-table.js';
import { FacetList } from './facet-list.js';
import { FilterBar } from './filter-bar.js';
import { SavedFilters } from './saved-filters.js';
import '../../styles/alerting.css';
import '../../styles/security.css';

/**
 * The SOC view: security events filtered, sorted and paged by the server, facet counts, saved
 * filters, export of the filtered result, and new high/critical events pushed live to the top.
 * The filter lives in the URL, so a filtered view is a link.
 */
export function SecurityPage({ search, pathname }: PageProps) {
  const { api, location } = useServices();
  const filter = filterFromSearch(search);
  const key = filterToQuery(filter);
  const list = useResource((signal) => fetchEvents(api, filter, undefined, signal).then(fromFirstPage), [key]);
  const [more, setMore] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });
  const moreAbort = useRef<AbortController | null>(null);
  // A "load more" still running when the filter changes or the page is left is cancelled.
  useEffect(() => {
    setMore({ loading: false, error: null });
    return () => moreAbort.current?.abort();
  }, [key]);

  useLiveSubscription({ topic: SECURITY_EVENTS_TOPIC }, (msg) => {
    if (msg.type !== 'event') return;
    const { events } = msg.data as SecurityEventsLiveData;
    const shown = (events ?? []).filter((e) => matchesFilter(e, filter));
    if (shown.length) list.update((s) => shown.reduce((acc, e) => addLiveEvent(acc, e, filter.sort), s));
  });

  const apply = (f: SecurityFilter) => location.navigate(withSearch(pathname, search, filterToSearchChanges(f)), { replace: false });
  const loadMore = (cursor: string) => {
    moreAbort.current?.abort();
    const controller = new AbortController();
    moreAbort.current = controller;
    setMore({ loading: true, error: null });
    fetchEvents(api, filter, cursor, controller.signal).then(
      (page) => {
        list.update((s) => appendPage(s, page));
        setMore({ loading: false, error: null });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setMore({ loading: false, error: err instanceof ApiError || err instanceof Error ? err.message : String(err) });
      },
    );
  };

  return (
    <div class="page" data-page="security">
      <div class="page-head">
        <div>
          <h1>Security</h1>
          <p class="page-summary">Security events from agents, detections and Vigil itself. New high and critical events appear live.</p>
        </div>
        <div class="toolbar">
          <a class="button" href={exportUrl(filter, 'json')} download data-export="json">
            Export JSON
          </a>
          <a class="button" href={exportUrl(filter, 'csv')} download data-export="csv">
            Export CSV
          </a>
          <Link class="button" href="/security/suppressions">
            Suppressions
          </Link>
        </div>
      </div>
      <FilterBar filter={filter} onChange={apply} />
      <SavedFilters filter={filter} onLoad={(query) => location.navigate(query ? `${pathname}?${query}` : pathname)} />
      <Panel
        title={list.data ? `Events (${list.data.total})` : 'Events'}
        id="security-events"
        resource={list}
        isEmpty={(s) => s.events.length === 0}
        empty={key ? 'No security events match these filters.' : 'No security events yet.'}
      >
        {(s) => (
          <>
            <FacetList facets={s.facets} filter={filter} onChange={apply} />
            <EventTable events={s.events} fresh={s.fresh} />
            <div class="toolbar" data-pager>
              <span class="muted" data-shown={s.events.length}>
                {s.events.length} of {s.total} shown
              </span>
              {s.nextCursor ? (
                <button type="button" class="button button-small" data-load-more disabled={more.loading} onClick={() => loadMore(s.nextCursor as string)}>
                  {more.loading ? 'Loading…' : 'Load more'}
                </button>
              ) : null}
              {more.error ? (
                <span class="field-error" role="alert">
                  {more.error}
                </span>
              ) : null}
            </div>
          </>
        )}
      </Panel>
    </div>
  );
}
