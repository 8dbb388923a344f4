import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocationStore, type AppLocation } from './location-store.js';

/** The parts of `window` LocationStore uses, backed by a URL; records history calls. */
function fakeWindow(start: string) {
  let url = new URL(start);
  const listeners = new Map<string, () => void>();
  const calls: string[] = [];
  const win = {
    get location() {
      return { href: url.href, origin: url.origin, pathname: url.pathname, search: url.search, hash: url.hash };
    },
    history: {
      pushState: (_s: unknown, _t: string, href: string) => {
        calls.push(`push ${href}`);
        url = new URL(href, url);
      },
      replaceState: (_s: unknown, _t: string, href: string) => {
        calls.push(`replace ${href}`);
        url = new URL(href, url);
      },
    },
    addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
    removeEventListener: (type: string) => listeners.delete(type),
    scrollTo: () => calls.push('scroll'),
  };
  const back = (href: string) => {
    url = new URL(href, url);
    listeners.get('popstate')?.();
  };
  return { win: win as unknown as Window, calls, listeners, back };
}

test('navigate pushes same-origin paths and notifies subscribers', () => {
  const { win, calls, back, listeners } = fakeWindow('http://vigil.test/');
  const store = new LocationStore(win);
  const seen: AppLocation[] = [];
  const off = store.subscribe((l) => seen.push(l));
  store.navigate('/hosts/a?range=1h');
  store.navigate('/hosts/a?range=1h');
  store.navigate('/hosts/a?range=6h', { replace: true });
  assert.deepEqual(calls, ['push /hosts/a?range=1h', 'scroll', 'replace /hosts/a?range=6h']);
  assert.deepEqual(seen, [
    { pathname: '/hosts/a', search: '?range=1h' },
    { pathname: '/hosts/a', search: '?range=6h' },
  ]);
  assert.throws(() => store.navigate('https://evil.test/'), RangeError);
  assert.throws(() => store.navigate('//evil.test/x'), RangeError);
  back('/explore');
  assert.deepEqual(store.location, { pathname: '/explore', search: '' });
  off();
  store.dispose();
  assert.equal(listeners.size, 0);
});
