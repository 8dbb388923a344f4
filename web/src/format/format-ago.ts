import { MISSING_VALUE } from './format-value.js';

/**
 * Formats the age of an event for a freshness stamp: `"just now"` under one second, then
 * `"3 s ago"`, `"4 min ago"`, `"2 h ago"`, `"5 d ago"`. Ages below zero (clock skew between
 * browser and server) print as `"just now"` rather than a time in the future.
 * @param ageMs age in milliseconds
 */
export function formatAgo(ageMs: number | null | undefined): string {
  if (ageMs == null || !Number.isFinite(ageMs)) return MISSING_VALUE;
  if (ageMs < 1000) return 'just now';
  const s = Math.floor(ageMs / 1000);
  if (s < 120) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}
