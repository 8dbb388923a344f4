import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Lock files held by this process (a pid check alone cannot tell two agents in one process apart). */
const held = new Set<string>();

/** Another live agent uses the data directory. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/**
 * Takes `<dir>/agent.lock` (holding our pid) so two agents never share one spool. A lock left by
 * a process that no longer exists (crash, kill -9) is taken over.
 * @returns a function that releases the lock.
 * @throws DataDirLockedError when a live process holds it.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'agent.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      held.add(path);
      return async () => {
        held.delete(path);
        await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      // Our own pid in a lock we do not hold is stale: a container restarts its agent as pid 1 again.
      const inUse = held.has(path) || (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid));
      if (inUse) {
        throw new DataDirLockedError(`data dir ${dir} is in use by another agent (pid ${pid}); give each agent its own --data-dir`);
      }
      await rm(path, { force: true });
    }
  }
  throw new DataDirLockedError(`cannot take the lock ${path}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
