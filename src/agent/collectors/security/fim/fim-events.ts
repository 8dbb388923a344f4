import type { SecurityEventInput, Severity } from '../../../../protocol/security.js';
import { securityEvent } from '../security-event.js';
import type { FileRecord } from './file-record.js';

/** Name of the collector (and `source` of its events). */
export const FIM_COLLECTOR = 'fim';

const ACCOUNT_FILES = new Set(['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow']);
const BINARY_DIRS = ['/bin/', '/sbin/', '/usr/bin/', '/usr/sbin/', '/usr/local/bin/', '/usr/local/sbin/'];

const isBinary = (p: string) => BINARY_DIRS.some((d) => p.startsWith(d));
const isSudoers = (p: string) => p === '/etc/sudoers' || p.startsWith('/etc/sudoers.d/');

/**
 * Severity and MITRE technique of a change, per docs/agent.md:
 * - only owner or permissions changed → T1222.002 (Linux file permissions modification);
 * - account databases (/etc/passwd, shadow, group, gshadow) → T1098 (account manipulation), high;
 * - sudoers → T1548.003 (sudo and sudo caching), high;
 * - system binaries changed → T1554 (compromise host software binary), high;
 * - other content changes → T1565.001 (stored data manipulation), medium.
 * Added and removed files are medium (high in binary directories and for sudoers); an added file
 * has no technique of its own.
 */
export function classify(path: string, kind: 'file_changed' | 'file_added' | 'file_removed', changed: string[]): { severity: Severity; mitre?: string } {
  const critical = ACCOUNT_FILES.has(path) || isSudoers(path) || isBinary(path) || path === '/etc/ssh/sshd_config';
  if (kind !== 'file_changed') return { severity: critical ? 'high' : 'medium', ...(isSudoers(path) ? { mitre: 'T1548.003' } : {}) };
  const content = changed.some((c) => c === 'sha256' || c === 'size' || c === 'type' || c === 'target' || c === 'mtime');
  if (!content) return { severity: critical ? 'high' : 'medium', mitre: 'T1222.002' };
  if (ACCOUNT_FILES.has(path)) return { severity: 'high', mitre: 'T1098' };
  if (isSudoers(path)) return { severity: 'high', mitre: 'T1548.003' };
  if (isBinary(path)) return { severity: 'high', mitre: 'T1554' };
  return { severity: critical ? 'high' : 'medium', mitre: 'T1565.001' };
}

/** The part of a record shown in an event's `before` / `after`. */
function view(r: FileRecord): Record<string, unknown> {
  const v: Record<string, unknown> = { type: r.type, size: r.size, mode: r.mode, uid: r.uid, gid: r.gid, mtime: new Date(r.mtimeMs).toISOString(), sha256: r.sha256 };
  if (r.hashSkipped) v.hash_skipped = r.hashSkipped;
  if (r.target !== undefined) v.target = r.target;
  return v;
}

/** A `file_changed` / `file_added` / `file_removed` event for `path` (host path). */
export function fimEvent(path: string, before: FileRecord | null, after: FileRecord | null, changed: string[], ts: number, via: 'scan' | 'watch'): SecurityEventInput {
  const kind = before === null ? 'file_added' : after === null ? 'file_removed' : 'file_changed';
  const { severity, mitre } = classify(path, kind, changed);
  const what = kind === 'file_added' ? 'added' : kind === 'file_removed' ? 'removed' : `changed (${changed.join(', ')})`;
  const metadata: Record<string, unknown> = { path, detected_by: via };
  if (before) metadata.before = view(before);
  if (after) metadata.after = view(after);
  if (kind === 'file_changed') metadata.changed = changed;
  return securityEvent({ type: kind, severity, ts, source: FIM_COLLECTOR, description: `${before?.type === 'dir' || after?.type === 'dir' ? 'Directory' : 'File'} ${path} ${what}`, ...(mitre ? { mitre } : {}), metadata });
}
