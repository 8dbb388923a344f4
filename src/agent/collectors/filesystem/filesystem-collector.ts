import { statfs, type StatsFs } from 'node:fs';
import { join } from 'node:path';
import type { SeriesItem } from '../../../protocol/ingest.js';
import { point, type Collector, type CollectorContext, type CollectorFactory, type CollectResult } from '../../collector.js';
import type { Logger } from '../../../options/command.js';
import { ProcReader } from '../proc-reader.js';
import { linuxOnly } from '../linux-only.js';
import { parseMounts, realMounts, type MountEntry } from './parse-mounts.js';

/** How long one statfs may take before the mount is skipped for this tick, in ms. */
export const STATFS_TIMEOUT_MS = 2_000;

/** The filesystem series of docs/metrics.md for one mount; empty for a zero-sized file system. */
export function filesystemSeries(m: MountEntry, s: Pick<StatsFs, 'bsize' | 'blocks' | 'bfree' | 'bavail' | 'files' | 'ffree'>, now: number): SeriesItem[] {
  if (s.blocks <= 0) return [];
  const labels = { mount: m.mountPoint, device: m.device, fstype: m.fstype };
  const size = s.blocks * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const avail = s.bavail * s.bsize;
  const out = [
    point('filesystem_size_bytes', size, now, labels),
    point('filesystem_used_bytes', used, now, labels),
    point('filesystem_free_bytes', avail, now, labels),
  ];
  // Like df: the share of the space ordinary users can get, so root-reserved blocks count as full.
  if (used + avail > 0) out.push(point('filesystem_usage_percent', (used * 100) / (used + avail), now, labels));
  // Some file systems (btrfs, some FUSE) report no inode limits; then inode figures mean nothing.
  if (s.files > 0) {
    const iused = s.files - s.ffree;
    out.push(point('filesystem_inodes_total', s.files, now, labels));
    out.push(point('filesystem_inodes_used', iused, now, labels));
    out.push(point('filesystem_inodes_usage_percent', (iused * 100) / s.files, now, labels));
  }
  return out;
}

/**
 * Usage and inodes of real file systems, via statfs of each /proc/mounts entry. A statfs that
 * hangs (a dead NFS server) is abandoned after {@link STATFS_TIMEOUT_MS} and that mount is
 * skipped until the call returns, so one bad mount never stalls the other metrics.
 */
export class FilesystemCollector implements Collector {
  readonly name = 'filesystem';
  private readonly reader = new ProcReader();
  private mountsPath = '/proc/mounts';
  private rootFs = '/';
  private log: Logger | null = null;
  private readonly stuck = new Set<string>();

  init(ctx: CollectorContext): void {
    this.mountsPath = join(ctx.procRoot, 'mounts');
    this.rootFs = ctx.rootFs;
    this.log = ctx.log;
  }

  async collect(now: number): Promise<CollectResult> {
    const mounts = realMounts(parseMounts(this.reader.read(this.mountsPath)));
    const stats = await Promise.all(mounts.map((m) => this.statMount(m)));
    const series: SeriesItem[] = [];
    mounts.forEach((m, i) => {
      const s = stats[i];
      if (s) series.push(...filesystemSeries(m, s, now));
    });
    return { series };
  }

  private statMount(m: MountEntry): Promise<StatsFs | null> {
    if (this.stuck.has(m.mountPoint)) return Promise.resolve(null);
    return new Promise((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        this.stuck.add(m.mountPoint);
        this.log?.warn('statfs is slow; skipping the mount until it answers', { mount: m.mountPoint, timeoutMs: STATFS_TIMEOUT_MS });
        resolve(null);
      }, STATFS_TIMEOUT_MS);
      timer.unref();
      statfs(join(this.rootFs, m.mountPoint), (err, s) => {
        this.stuck.delete(m.mountPoint);
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (err) this.log?.debug('statfs failed', { mount: m.mountPoint, error: err });
        resolve(err ? null : s);
      });
    });
  }

  close(): void {}
}

/** Factory of the `filesystem` collector (Linux). */
export const filesystemCollectorFactory: CollectorFactory = {
  name: 'filesystem',
  description: 'Space and inode use of real file systems (statfs of /proc/mounts entries)',
  create: () => new FilesystemCollector(),
  unavailableReason: (ctx) => linuxOnly(ctx, 'mounts'),
};
