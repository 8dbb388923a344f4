import type { ComponentChildren } from 'preact';
import type { Resource } from '../hooks/use-resource.js';
import { ErrorState } from './error-state.js';

/** Props of {@link Panel}. */
export interface PanelProps<T> {
  /** Heading text. */
  title: string;
  /** Stable id used for the heading (aria-labelledby) and by tests. */
  id: string;
  resource: Resource<T>;
  /** Renders the data. */
  children: (data: T) => ComponentChildren;
  /** True when the data has nothing to show (default: never). */
  isEmpty?: (data: T) => boolean;
  /** Shown when `isEmpty` (default "No data in this time range."). */
  empty?: ComponentChildren;
  /** Controls shown in the heading row. */
  actions?: ComponentChildren;
  class?: string;
}

/**
 * A data panel with explicit loading, empty and error states (error with a Retry button). When a
 * refresh fails while older data is on screen, the data stays and a one-line error with Retry is
 * shown above it. `data-state` on the section tells tests (and CSS) which state is showing.
 */
export function Panel<T>({ title, id, resource, children, isEmpty, empty, actions, class: cls }: PanelProps<T>) {
  const { status, data, error, refreshing, reload } = resource;
  let state: 'loading' | 'error' | 'empty' | 'ready';
  let body: ComponentChildren;
  if (data === undefined) {
    if (status === 'error' && error) {
      state = 'error';
      body = <ErrorState error={error} onRetry={reload} />;
    } else {
      state = 'loading';
      body = (
        <div class="panel-loading" role="status">
          <span class="spinner" aria-hidden="true" />
          Loading…
        </div>
      );
    }
  } else if (isEmpty?.(data)) {
    state = status === 'error' ? 'error' : 'empty';
    body = (
      <>
        {status === 'error' && error ? <ErrorState error={error} onRetry={reload} compact /> : null}
        <div class="panel-empty">{empty ?? 'No data in this time range.'}</div>
      </>
    );
  } else {
    state = status === 'error' ? 'error' : 'ready';
    body = (
      <>
        {status === 'error' && error ? <ErrorState error={error} onRetry={reload} compact /> : null}
        {children(data)}
      </>
    );
  }
  return (
    <section class={`panel ${cls ?? ''}`} aria-labelledby={`${id}-title`} data-panel={id} data-state={state} aria-busy={status === 'loading' || refreshing}>
      <header class="panel-header">
        <h2 id={`${id}-title`} class="panel-title">
          {title}
        </h2>
        {refreshing ? <span class="spinner spinner-small" aria-label="Refreshing" /> : null}
        {actions ? <div class="panel-actions">{actions}</div> : null}
      </header>
      <div class="panel-body">{body}</div>
    </section>
  );
}
