import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/api-client.js';
import type { LiveConnection } from '../live/live-connection.js';
import type { LocationStore } from '../routing/location-store.js';
import type { Scheduler } from '../time/scheduler.js';
import type { ServerClock } from '../time/server-clock.js';
import type { Ticker } from '../time/ticker.js';

/** The long-lived objects every page uses, created once in `main.tsx`. */
export interface AppServices {
  api: ApiClient;
  live: LiveConnection;
  ticker: Ticker;
  scheduler: Scheduler;
  serverClock: ServerClock;
  location: LocationStore;
}

/** Provides {@link AppServices} to the component tree. */
export const AppServicesContext = createContext<AppServices | null>(null);

/** The app's services; throws if used outside the provider (a programming error). */
export function useServices(): AppServices {
  const services = useContext(AppServicesContext);
  if (!services) throw new Error('useServices() used outside <AppServicesContext.Provider>');
  return services;
}
