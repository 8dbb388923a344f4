import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { CollectorContext } from '../collector.js';

/**
 * Availability check shared by the /proc collectors: null when `ctx.platform` is Linux and
 * `<procRoot>/<file>` is readable, else the reason the collector cannot run.
 */
export function linuxOnly(ctx: CollectorContext, file: string): string | null {
  if (ctx.platform !== 'linux') return `needs Linux /proc (this host runs ${ctx.platform})`;
  try {
    accessSync(join(ctx.procRoot, file), constants.R_OK);
    return null;
  } catch {
    return `${join(ctx.procRoot, file)} is not readable`;
  }
}
