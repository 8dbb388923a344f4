import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesItem } from '../../../protocol/ingest.js';
import { point, type Collector, type CollectorContext, type CollectorFactory, type CollectResult } from '../../collector.js';
import { CounterRates } from '../counter-rates.js';
import { ProcReader } from '../proc-reader.js';
import { linuxOnly } from '../linux-only.js';
import { IGNORED_DISK_RE, PARTITION_RE, parseDiskstats } from './parse-diskstats.js';

/** How often the list of whole disks (/sys/block) is re-read, in ms. */
export const DISK_LIST_REFRESH_MS = 60_000;

/**
 * Disk I/O rates of whole disks (not partitions, whose I/O is already in their disk) from
 * /proc/diskstats. Whole disks are the entries of /sys/block; when sysfs is not readable a
 * partition-name pattern is used instead.
 */
export class DiskCollector implements Collector {
  readonly name = 'disk';
  private readonly reader = new ProcReader();
  private readonly rates = new CounterRates();
  private statsPath = '/proc/diskstats';
  private sysBlock = '/sys/block';
  private wholeDisks: Set<string> | null = null;
  private listedAt = -Infinity;

  init(ctx: CollectorContext): void {
    this.statsPath = join(ctx.procRoot, 'diskstats');
    this.sysBlock = join(ctx.sysRoot, 'block');
  }

  collect(now: number): CollectResult {
    if (now - this.listedAt >= DISK_LIST_REFRESH_MS || now < this.listedAt) this.refreshDiskList(now);
    const series: SeriesItem[] = [];
    this.rates.begin();
    for (const d of parseDiskstats(this.reader.read(this.statsPath))) {
      if (IGNORED_DISK_RE.test(d.name)) continue;
      // sysfs spells "/" in device names as "!" (cciss/c0d0 → cciss!c0d0).
      if (this.wholeDisks ? !this.wholeDisks.has(d.name.replace(/\//g, '!')) : PARTITION_RE.test(d.name)) continue;
      const labels = { device: d.name };
      const rate = (field: string, value: number) => this.rates.rate(`${d.name}\u0000${field}`, value, now);
      const readBytes = rate('rb', d.sectorsRead * 512);
      const writeBytes = rate('wb', d.sectorsWritten * 512);
      const reads = rate('r', d.readsCompleted);
      const writes = rate('w', d.writesCompleted);
      const ioMsPerSec = rate('io', d.ioMs);
      if (readBytes !== null) series.push(point('disk_read_bytes_per_second', readBytes, now, labels));
      if (writeBytes !== null) series.push(point('disk_write_bytes_per_second', writeBytes, now, labels));
      if (reads !== null) series.push(point('disk_reads_per_second', reads, now, labels));
      if (writes !== null) series.push(point('disk_writes_per_second', writes, now, labels));
      // ms of busy time per second of wall time, as a percentage; jitter can push it past 100.
      if (ioMsPerSec !== null) series.push(point('disk_busy_percent', Math.min(100, ioMsPerSec / 10), now, labels));
    }
    this.rates.sweep();
    return { series };
  }

  private refreshDiskList(now: number): void {
    this.listedAt = now;
    try {
      this.wholeDisks = new Set(readdirSync(this.sysBlock));
    } catch {
      this.wholeDisks = null;
    }
  }

  close(): void {}
}

/** Factory of the `disk` collector (Linux). */
export const diskCollectorFactory: CollectorFactory = {
  name: 'disk',
  description: 'Disk I/O rates of whole disks (/proc/diskstats)',
  create: () => new DiskCollector(),
  unavailableReason: (ctx) => linuxOnly(ctx, 'diskstats'),
};
