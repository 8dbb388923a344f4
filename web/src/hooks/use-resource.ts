import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ABORTED_CODE, ApiError, UNEXPECTED_RESPONSE_CODE } from '../api/api-error.js';
import { useServices } from './app-services.js';

/**
 * State of data loaded from the API. `data` survives a failed refresh so a panel can keep
 * showing the last good answer next to the error; `refreshing` is true while a reload runs on
 * top of existing data.
 */
export interface ResourceState<T> {
  status: 'loading' | 'ready' | 'error';
  data: T | undefined;
  error: ApiError | null;
  refreshing: boolean;
}

/** {@link ResourceState} plus its controls. */
export interface Resource<T> extends ResourceState<T> {
  /** Loads again, keeping the current data on screen (the Retry button calls this). */
  reload(): void;
  /** Replaces the data locally, e.g. to fold in a live update. */
  update(fn: (data: T) => T): void;
}

/** Options of {@link useResource}. */
export interface ResourceOptions {
  /** Reload when the live connection reports that updates may have been missed (default true). */
  resync?: boolean;
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, UNEXPECTED_RESPONSE_CODE, err instanceof Error ? err.message : String(err));
}

/**
 * Loads data with `load` whenever `deps` change, cancelling the previous request (and the
 * in-flight one on unmount, so nothing resolves into an unmounted page). Changing `deps` clears
 * the data (it described something else); `reload()` keeps it.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], options: ResourceOptions = {}): Resource<T> {
  const { live } = useServices();
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading', data: undefined, error: null, refreshing: false });
  const [reloadToken, setReloadToken] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const depsKeyRef = useRef<readonly unknown[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const sameDeps = depsKeyRef.current !== null && depsKeyRef.current.length === deps.length && depsKeyRef.current.every((d, i) => Object.is(d, deps[i]));
    depsKeyRef.current = deps;
    setState((s) => (sameDeps && s.data !== undefined ? { ...s, refreshing: true } : { status: 'loading', data: undefined, error: null, refreshing: false }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data, error: null, refreshing: false });
      },
      (err: unknown) => {
        const error = toApiError(err);
        if (controller.signal.aborted || error.code === ABORTED_CODE) return;
        setState((s) => ({ status: 'error', data: s.data, error, refreshing: false }));
      },
    );
    return () => controller.abort();
  }, [...deps, reloadToken]);

  const reload = useCallback(() => setReloadToken((n) => n + 1), []);

  useEffect(() => {
    if (options.resync === false) return undefined;
    return live.onResync(reload);
  }, [live, reload, options.resync]);

  const update = useCallback((fn: (data: T) => T) => {
    setState((s) => (s.data === undefined ? s : { ...s, data: fn(s.data) }));
  }, []);

  return { ...state, reload, update };
}
