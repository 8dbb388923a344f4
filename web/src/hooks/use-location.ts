import { useEffect, useState } from 'preact/hooks';
import type { AppLocation } from '../routing/location-store.js';
import { useServices } from './app-services.js';

/** The current client-side location, re-rendering on navigation. */
export function useLocation(): AppLocation {
  const { location } = useServices();
  const [loc, setLoc] = useState(location.location);
  useEffect(() => {
    setLoc(location.location);
    return location.subscribe(setLoc);
  }, [location]);
  return loc;
}
