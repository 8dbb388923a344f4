import { formatSpan } from '../format/format-value.js';
import { useNow } from '../hooks/use-now.js';

/** Time since `bootTime` (ms since epoch, host clock), ticking; "–" when unknown. */
export function Uptime({ bootTime }: { bootTime: number | null }) {
  const now = useNow();
  return <>{bootTime === null ? '–' : formatSpan(now - bootTime)}</>;
}
