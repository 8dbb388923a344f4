import type { SecurityEvent, Suppression } from '../../protocol/security.js';

/** True when `s` applies to event `e`: same type, and same host / `metadata.src_ip` when the suppression names them. */
export function suppressionMatches(s: Suppression, e: Pick<SecurityEvent, 'event_type' | 'host' | 'metadata'>): boolean {
  if (s.event_type !== e.event_type) return false;
  if (s.host !== null && s.host !== e.host) return false;
  if (s.src_ip !== null && e.metadata?.['src_ip'] !== s.src_ip) return false;
  return true;
}
