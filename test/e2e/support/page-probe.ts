/**
 * Script injected into every page before the dashboard's own code (playwright addInitScript).
 * It wraps timers, WebSocket and ResizeObserver to count what the page has running, so a
 * test can check that leaving a page leaves no timer, live subscription or observer behind.
 * It changes no behaviour: every call goes through to the original.
 */
export const PAGE_PROBE_SCRIPT = `(() => {
  const pendingTimeouts = new Set();
  const intervals = new Set();
  const nativeSetTimeout = window.setTimeout.bind(window);
  const nativeClearTimeout = window.clearTimeout.bind(window);
  const nativeSetInterval = window.setInterval.bind(window);
  const nativeClearInterval = window.clearInterval.bind(window);
  window.setTimeout = function (fn, ms, ...args) {
    const id = nativeSetTimeout((...a) => {
      pendingTimeouts.delete(id);
      if (typeof fn === 'function') fn(...a);
    }, ms, ...args);
    pendingTimeouts.add(id);
    return id;
  };
  window.clearTimeout = function (id) {
    pendingTimeouts.delete(id);
    return nativeClearTimeout(id);
  };
  window.setInterval = function (fn, ms, ...args) {
    const id = nativeSetInterval(fn, ms, ...args);
    intervals.add(id);
    return id;
  };
  window.clearInterval = function (id) {
    intervals.delete(id);
    return nativeClearInterval(id);
  };
  // Live subscriptions per socket: a closed socket's subscriptions are gone on the server too.
  const sockets = new Map();
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      super(url, protocols);
      sockets.set(this, new Map());
      this.addEventListener('close', () => sockets.delete(this));
    }
    send(data) {
      try {
        const msg = JSON.parse(data);
        if (msg.op === 'subscribe') sockets.get(this)?.set(msg.id, msg.topic);
        if (msg.op === 'unsubscribe') sockets.get(this)?.delete(msg.id);
      } catch (e) {}
      return super.send(data);
    }
    close(code, reason) {
      sockets.delete(this);
      return super.close(code, reason);
    }
  };
  const observed = new Map();
  const NativeRO = window.ResizeObserver;
  window.ResizeObserver = class extends NativeRO {
    observe(target, options) {
      if (!observed.has(this)) observed.set(this, new Set());
      observed.get(this).add(target);
      return super.observe(target, options);
    }
    unobserve(target) {
      observed.get(this)?.delete(target);
      return super.unobserve(target);
    }
    disconnect() {
      observed.delete(this);
      return super.disconnect();
    }
  };
  window.__vigilProbe = {
    counts: () => ({
      pendingTimeouts: pendingTimeouts.size,
      intervals: intervals.size,
      subscriptions: [...sockets.values()].flatMap((subs) => [...subs.values()]).sort(),
      openSockets: sockets.size,
      resizeObserved: [...observed.values()].reduce((n, s) => n + s.size, 0),
    }),
  };
})();`;

/** What {@link PAGE_PROBE_SCRIPT} reports. */
export interface ProbeCounts {
  pendingTimeouts: number;
  intervals: number;
  /** Topics of the live subscriptions the page holds on open sockets, sorted. */
  subscriptions: string[];
  /** WebSockets connecting or open. */
  openSockets: number;
  /** Elements watched by ResizeObserver (one per chart). */
  resizeObserved: number;
}
