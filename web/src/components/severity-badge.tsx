import type { AlertSeverity } from '../../../src/protocol/alerting.js';
import type { Severity } from '../../../src/protocol/security.js';

/** A severity (of an alert or a security event) as a coloured badge; the word is always shown (not colour only). */
export function SeverityBadge({ severity }: { severity: AlertSeverity | Severity }) {
  return (
    <span class={`badge severity-${severity}`} data-severity={severity}>
      <span class="badge-dot" aria-hidden="true" />
      {severity}
    </span>
  );
}
