import type { AlertSeverity } from '../../../src/protocol/alerting.js';

/** A severity as a coloured badge; the word is always shown (not colour only). */
export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return (
    <span class={`badge severity-${severity}`} data-severity={severity}>
      <span class="badge-dot" aria-hidden="true" />
      {severity}
    </span>
  );
}
