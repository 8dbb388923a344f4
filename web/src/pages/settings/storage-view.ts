import type { StorageUsage } from '../../../../src/protocol/storage.js';
import { formatBytes, formatCompact, formatSpan } from '../../format/format-value.js';

/** One row of the tier table, already formatted. */
export interface TierRow {
  tier: string;
  label: string;
  used: string;
  retention: string;
  holds: string;
  growth: string;
  steady: string;
}

const TIER_LABELS: Record<string, string> = { raw: 'Raw samples', '1m': '1-minute rollups', '1h': '1-hour rollups' };
const OTHER_LABELS: Record<string, string> = { log: 'Ingest log and checkpoint', meta: 'Bookkeeping', free: 'Free pages (reused)' };

/** Rows of the tier table: disk used, retention, how much time the tier holds, growth, full size. */
export function tierRows(u: StorageUsage, now: number): TierRow[] {
  return u.tiers.map((t) => ({
    tier: t.tier,
    label: TIER_LABELS[t.tier] ?? t.tier,
    used: formatBytes(t.bytes),
    retention: formatSpan(t.retentionMs),
    holds: t.oldest === null ? 'empty' : formatSpan(Math.max(0, now - t.oldest)),
    growth: t.growthBytesPerDay === null ? 'not measured yet' : `${formatBytes(t.growthBytesPerDay)}/day`,
    steady: t.steadyStateBytes === null ? '—' : formatBytes(t.steadyStateBytes),
  }));
}

/** The other parts of the store, formatted. */
export function otherRows(u: StorageUsage): { label: string; used: string }[] {
  return Object.entries(u.other).map(([part, bytes]) => ({ label: OTHER_LABELS[part] ?? part, used: formatBytes(bytes) }));
}

/** The forecast sentence and its tone (`ok`, `warn` under 30 days, `bad` under 7, `unknown`). */
export function forecastText(u: StorageUsage): { text: string; tone: 'ok' | 'warn' | 'bad' | 'unknown' } {
  const f = u.forecast;
  if (!u.disk) return { text: 'The database is remote: no volume to forecast.', tone: 'unknown' };
  if (!f.measured) return { text: `Not enough history to measure growth yet; ${formatBytes(u.disk.freeBytes)} free.`, tone: 'unknown' };
  if (f.daysUntilFull === null) {
    return { text: `Enough space: a full retention period needs ${formatBytes(f.steadyStateBytes)} in all; ${formatBytes(u.disk.freeBytes)} free.`, tone: 'ok' };
  }
  const days = f.daysUntilFull;
  const tone = days < 7 ? 'bad' : days < 30 ? 'warn' : 'ok';
  return { text: `At the current ingest rate the disk is full in ${formatSpan(days * 86_400_000)} (${formatBytes(u.disk.freeBytes)} free).`, tone };
}

/** Headline figures: samples, bytes per sample, ingest rate. */
export function headline(u: StorageUsage): string {
  const parts = [`${formatCompact(u.samples)} samples`];
  if (u.bytesPerSample !== null) parts.push(`${u.bytesPerSample.toFixed(2)} bytes/sample`);
  parts.push(`${formatCompact(u.ingestRate)} samples/s ingested`);
  return parts.join(' · ');
}

/** Damaged items the engine detected and skipped, when there are any. */
export function damageText(u: StorageUsage): string | null {
  const damaged = Object.entries(u.counters).filter(([k, v]) => k.startsWith('corrupt_') && v > 0);
  if (damaged.length === 0) return null;
  return `Damaged data skipped: ${damaged.map(([k, v]) => `${v} ${k.slice('corrupt_'.length).replace(/_/g, ' ')}`).join(', ')} (see the server log).`;
}
