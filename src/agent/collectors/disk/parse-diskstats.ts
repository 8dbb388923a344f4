/** Cumulative counters of one block device from /proc/diskstats. */
export interface DiskCounters {
  name: string;
  readsCompleted: number;
  /** Sectors of 512 bytes, whatever the device's real sector size (the kernel normalises them). */
  sectorsRead: number;
  writesCompleted: number;
  sectorsWritten: number;
  /** Milliseconds spent with I/O in flight (field 10). */
  ioMs: number;
}

/** Parses /proc/diskstats; lines with fewer than 14 fields are skipped. */
export function parseDiskstats(text: string): DiskCounters[] {
  const out: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14) continue;
    const n = (i: number) => Number(f[i]);
    const d: DiskCounters = { name: f[2] as string, readsCompleted: n(3), sectorsRead: n(5), writesCompleted: n(7), sectorsWritten: n(9), ioMs: n(12) };
    if ([d.readsCompleted, d.sectorsRead, d.writesCompleted, d.sectorsWritten, d.ioMs].every(Number.isFinite)) out.push(d);
  }
  return out;
}

/** Devices that are never interesting: loop devices, RAM disks, floppies. */
export const IGNORED_DISK_RE = /^(loop|ram|fd)\d+$/;

/** Partition names when /sys/block cannot be read (sda1, vdb2, nvme0n1p1, mmcblk0p1, xvda1). */
export const PARTITION_RE = /^((s|h|v|xv)d[a-z]+\d+|(nvme\d+n\d+|mmcblk\d+)p\d+)$/;
