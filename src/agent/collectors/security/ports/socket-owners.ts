import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcReader } from '../../proc-reader.js';

/** The process that holds a socket. */
export interface SocketOwner {
  pid: number;
  /** Short name (`/proc/<pid>/comm`). */
  comm: string;
  /** Executable path, when readable. */
  exe?: string;
}

/**
 * Finds the processes holding the sockets `inodes` by reading the `socket:[<inode>]` links of
 * `/proc/<pid>/fd/*`. Only processes the agent may inspect are visible (all of them as root);
 * sockets of others are simply left out. Stops early once every inode is found.
 */
export function findSocketOwners(procRoot: string, inodes: ReadonlySet<number>, reader: ProcReader): Map<number, SocketOwner> {
  const found = new Map<number, SocketOwner>();
  if (inodes.size === 0) return found;
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((n) => /^\d+$/.test(n));
  } catch {
    return found;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(join(procRoot, pid, 'fd'));
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(join(procRoot, pid, 'fd', fd));
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      const inode = m ? Number(m[1]) : -1;
      if (!inodes.has(inode) || found.has(inode)) continue;
      const owner: SocketOwner = { pid: Number(pid), comm: readComm(reader, join(procRoot, pid, 'comm')) };
      try {
        owner.exe = readlinkSync(join(procRoot, pid, 'exe'));
      } catch {
        // Other users' processes (without root) and kernel threads have no readable exe.
      }
      found.set(inode, owner);
    }
    if (found.size === inodes.size) break;
  }
  return found;
}

function readComm(reader: ProcReader, path: string): string {
  try {
    return (reader.tryRead(path) ?? '').trim().slice(0, 64);
  } catch {
    return '';
  }
}
