import type { SecurityEvent, SuppressionBody } from '../../../src/protocol/security.js';
import { sourceIp } from './event-detail.js';

/** What a suppression created from an event matches: this type from this host, or from this source IP. */
export type SuppressionScope = 'host' | 'src_ip';

/** Longest suppression the dialog offers, days (the server caps it too). */
export const MAX_SUPPRESSION_DAYS = 365;

/** Scopes an event allows: by host always, by source IP when its metadata has one. */
export function scopesFor(e: SecurityEvent): SuppressionScope[] {
  return sourceIp(e) ? ['host', 'src_ip'] : ['host'];
}

/**
 * Builds the suppression body for an event, or an error message for the form. `days` must be a
 * whole number 1…365; the reason is required (it is what a reviewer reads later).
 */
export function suppressionBody(e: SecurityEvent, scope: SuppressionScope, daysText: string, reason: string): SuppressionBody | { error: string } {
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText.trim()) || days < 1 || days > MAX_SUPPRESSION_DAYS) return { error: `Days must be a whole number from 1 to ${MAX_SUPPRESSION_DAYS}.` };
  if (!reason.trim()) return { error: 'A reason is required.' };
  const base = { event_type: e.event_type, days, reason: reason.trim() };
  if (scope === 'src_ip') {
    const ip = sourceIp(e);
    if (!ip) return { error: 'This event has no source IP.' };
    return { ...base, src_ip: ip };
  }
  return { ...base, host: e.host };
}
