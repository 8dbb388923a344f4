/** One line of /proc/mounts. */
export interface MountEntry {
  device: string;
  mountPoint: string;
  fstype: string;
}

/**
 * File system types that hold no user data (kernel interfaces, memory-backed scratch space) or
 * are read-only images that are always 100 % full (squashfs snaps, ISO images); reporting them
 * would only produce noise and false "disk full" alerts.
 */
export const PSEUDO_FS_TYPES: ReadonlySet<string> = new Set([
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs', 'efivarfs',
  'erofs', 'fusectl', 'fuse.gvfsd-fuse', 'fuse.lxcfs', 'fuse.portal', 'hugetlbfs', 'iso9660', 'mqueue', 'nsfs', 'proc',
  'procfs', 'pstore', 'ramfs', 'rpc_pipefs', 'securityfs', 'selinuxfs', 'squashfs', 'sysfs', 'tmpfs', 'tracefs',
]);

/** Decodes the octal escapes the kernel uses in /proc/mounts (`\040` for a space, `\011` tab, …). */
export function decodeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Parses /proc/mounts; malformed lines are skipped. */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 3) continue;
    out.push({ device: decodeMountField(parts[0] as string), mountPoint: decodeMountField(parts[1] as string), fstype: parts[2] as string });
  }
  return out;
}

/**
 * Keeps mounts that hold real data: drops pseudo file systems, overlay mounts other than `/`
 * (container layers) and anything under /proc, /sys or /dev; when a mount point appears twice
 * (over-mounts, bind mounts) the last entry wins, as it is the one visible at that path.
 */
export function realMounts(entries: readonly MountEntry[]): MountEntry[] {
  const byPoint = new Map<string, MountEntry>();
  for (const e of entries) {
    if (PSEUDO_FS_TYPES.has(e.fstype)) continue;
    if (e.fstype === 'overlay' && e.mountPoint !== '/') continue;
    if (/^\/(proc|sys|dev)(\/|$)/.test(e.mountPoint)) continue;
    byPoint.delete(e.mountPoint);
    byPoint.set(e.mountPoint, e);
  }
  return [...byPoint.values()];
}
