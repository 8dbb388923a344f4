import { formatAgo } from '../format/format-ago.js';
import { useNow } from '../hooks/use-now.js';
import { freshnessOf } from '../time/freshness.js';

/** Props of {@link FreshnessStamp}. */
export interface FreshnessStampProps {
  /** Time of the last report, ms since epoch (server clock), or null if never. */
  lastSeen: number | null;
  /** The agent's collection interval in ms (null: assume 10 s). */
  intervalMs: number | null;
}

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * "updated 3 s ago", ticking every second, green while younger than 2 intervals, then yellow,
 * then red (see `time/freshness.ts`). The exact time is in the tooltip.
 */
export function FreshnessStamp({ lastSeen, intervalMs }: FreshnessStampProps) {
  const now = useNow();
  const level = freshnessOf(lastSeen, now, intervalMs);
  return (
    <span class={`freshness freshness-${level}`} data-freshness={level} title={lastSeen === null ? 'never reported' : absolute.format(lastSeen)}>
      <span class="freshness-dot" aria-hidden="true" />
      {lastSeen === null ? 'never updated' : `updated ${formatAgo(now - lastSeen)}`}
    </span>
  );
}
