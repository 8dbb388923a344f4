import { useEffect, useRef } from 'preact/hooks';
import { formatPercent } from '../format/format-value.js';

/** Percentages at which a usage bar turns yellow and red. */
export const USAGE_THRESHOLDS = { warn: 75, critical: 90 } as const;

/**
 * A percentage with a small bar. The bar width is set through the CSSOM (`element.style`),
 * which the server's CSP allows, rather than a `style` attribute, which it does not.
 */
export function UsageCell({ percent }: { percent: number | null }) {
  const barRef = useRef<HTMLSpanElement>(null);
  const valid = percent !== null && Number.isFinite(percent);
  const clamped = valid ? Math.min(100, Math.max(0, percent)) : 0;
  useEffect(() => {
    if (barRef.current) barRef.current.style.width = `${clamped}%`;
  }, [clamped]);
  const level = !valid ? 'none' : clamped >= USAGE_THRESHOLDS.critical ? 'critical' : clamped >= USAGE_THRESHOLDS.warn ? 'warn' : 'ok';
  return (
    <span class={`usage usage-${level}`}>
      <span class="usage-value">{formatPercent(percent)}</span>
      <span class="usage-track" aria-hidden="true">
        <span ref={barRef} class="usage-bar" />
      </span>
    </span>
  );
}
