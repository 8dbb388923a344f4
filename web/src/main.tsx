import { render } from 'preact';
import { ApiClient } from './api/api-client.js';
import { App } from './app/app.js';
import { AppServicesContext, type AppServices } from './hooks/app-services.js';
import { LiveConnection } from './live/live-connection.js';
import { browserSocketFactory } from './live/browser-socket.js';
import { LocationStore } from './routing/location-store.js';
import { browserScheduler } from './time/scheduler.js';
import { ServerClock } from './time/server-clock.js';
import { Ticker } from './time/ticker.js';
import './styles/app.css';
import './styles/admin.css';

// Composition root of the dashboard: the one place that creates the long-lived services.
const sessionExpiredListeners = new Set<() => void>();
const notifySessionExpired = () => {
  for (const listener of [...sessionExpiredListeners]) listener();
};
const onSessionExpired = (listener: () => void) => {
  sessionExpiredListeners.add(listener);
  return () => {
    sessionExpiredListeners.delete(listener);
  };
};

const serverClock = new ServerClock();
const api = new ApiClient({ onUnauthorized: notifySessionExpired, onServerTime: (offset) => serverClock.observe(offset) });
const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/live`;
const live = new LiveConnection({
  url: wsUrl,
  createSocket: browserSocketFactory,
  scheduler: browserScheduler,
  isOnline: () => navigator.onLine,
  onUnauthenticated: notifySessionExpired,
});
const services: AppServices = {
  api,
  live,
  ticker: new Ticker(browserScheduler, 1000),
  scheduler: browserScheduler,
  serverClock,
  location: new LocationStore(window),
};

// Coming back online or to a visible tab: reconnect now rather than after the backoff delay.
window.addEventListener('online', () => live.reconnectNow());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') live.reconnectNow();
});

const root = document.getElementById('app');
if (root) {
  render(
    <AppServicesContext.Provider value={services}>
      <App onSessionExpired={onSessionExpired} />
    </AppServicesContext.Provider>,
    root,
  );
}
