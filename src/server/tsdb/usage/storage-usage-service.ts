import { statfs } from 'node:fs/promises';
import type { StorageTierUsage, StorageUsage } from '../../../protocol/storage.js';
import type { Clock } from '../../core/clock.js';
import type { SampleStore } from '../../storage/sample-store.js';
import { forecastRetention } from './retention-forecast.js';

const DAY = 86_400_000;
const TIERS = ['raw', '1m', '1h'] as const;

/** Free and total bytes of the volume holding a path. */
export type VolumeUsage = () => Promise<{ freeBytes: number; totalBytes: number } | null>;

/** The volume of `path` through statfs (bytes available to unprivileged users). */
export function statfsVolume(path: string): VolumeUsage {
  return async () => {
    const s = await statfs(path);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  };
}

/**
 * The data behind the settings page's storage panel: disk use and retention per tier and the
 * forecast of how long the volume lasts. The raw tier grows at ingest rate × observed bytes per
 * sample; rollup tiers at their bytes over the time span they hold.
 */
export class StorageUsageService {
  constructor(
    private readonly deps: { samples: SampleStore; backend: 'sqlite' | 'postgres'; clock: Clock; volume: VolumeUsage | null },
  ) {}

  async report(): Promise<StorageUsage> {
    const st = await this.deps.samples.stats();
    const now = this.deps.clock.now();
    const counters = st.counters ?? {};
    const ingestRate = counters['ingest_samples_per_second'] ?? 0;
    const persisted = st.samples === null ? null : st.samples - (counters['head_samples'] ?? 0);
    const rawBytes = st.bytesByTier['raw'] ?? 0;
    const bytesPerSample = persisted && persisted > 0 ? rawBytes / persisted : null;
    const inputs = TIERS.map((tier) => {
      const bytes = st.bytesByTier[tier] ?? 0;
      const oldest = st.oldestByTier[tier] ?? null;
      const ageMs = oldest === null ? 0 : Math.max(0, now - oldest);
      let growth: number | null;
      if (tier === 'raw') growth = bytesPerSample === null ? (ingestRate > 0 ? null : 0) : ingestRate * 86_400 * bytesPerSample;
      else growth = ageMs >= 3_600_000 ? (bytes * DAY) / ageMs : bytes === 0 && ingestRate === 0 ? 0 : null;
      return { tier, bytes, oldest, retentionMs: st.retentionByTier[tier] ?? 0, ageMs, growth };
    });
    const volume = this.deps.volume ? await this.deps.volume() : null;
    const f = forecastRetention({ tiers: inputs.map((t) => ({ bytes: t.bytes, retentionMs: t.retentionMs, ageMs: t.ageMs, growthPerDay: t.growth })), freeBytes: volume?.freeBytes ?? null });
    const tiers: StorageTierUsage[] = inputs.map((t, i) => ({
      tier: t.tier,
      bytes: t.bytes,
      oldest: t.oldest,
      retentionMs: t.retentionMs,
      growthBytesPerDay: t.growth,
      steadyStateBytes: f.tierSteadyBytes[i] ?? null,
    }));
    const other: Record<string, number> = {};
    for (const [part, bytes] of Object.entries(st.bytesByTier)) if (!(TIERS as readonly string[]).includes(part)) other[part] = bytes;
    return {
      backend: this.deps.backend,
      tiers,
      other,
      samples: st.samples,
      bytesPerSample,
      ingestRate,
      disk: volume,
      forecast: { measured: f.steadyStateBytes !== null && volume !== null, daysUntilFull: f.daysUntilFull, steadyStateBytes: f.steadyStateBytes },
      counters,
    };
  }
}
