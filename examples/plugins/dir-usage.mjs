// Example collector plugin for `vigil agent --plugin ./examples/plugins/dir-usage.mjs`.
//
// Reports the size and file count of the directories listed in VIGIL_DIR_USAGE_PATHS
// (comma-separated; default: the system temp directory), walking at most
// VIGIL_DIR_USAGE_MAX_ENTRIES entries per directory (default 100000) so a huge tree cannot stall
// the agent. A plugin is a module whose default export returns a collector:
//   { name, init(ctx), collect(now) → { series: [{ metric, labels?, points: [[tsMs, value]] }] }, close() }

import { lstat, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @returns {import('../../src/agent/collector.js').Collector} */
export default function createCollector() {
  const paths = (process.env.VIGIL_DIR_USAGE_PATHS ?? tmpdir()).split(',').map((p) => p.trim()).filter(Boolean);
  const maxEntries = Number(process.env.VIGIL_DIR_USAGE_MAX_ENTRIES ?? 100_000);
  let log = null;

  async function usage(root) {
    let bytes = 0;
    let files = 0;
    let seen = 0;
    const stack = [root];
    while (stack.length > 0 && seen < maxEntries) {
      const dir = stack.pop();
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable or vanished: skip, keep counting the rest
      }
      for (const e of entries) {
        if (++seen > maxEntries) break;
        const p = join(dir, e.name);
        if (e.isDirectory()) stack.push(p);
        else if (e.isFile()) {
          files++;
          try {
            bytes += (await lstat(p)).size;
          } catch {
            // deleted between readdir and lstat
          }
        }
      }
    }
    return { bytes, files, truncated: seen > maxEntries };
  }

  return {
    name: 'dir_usage',
    init(ctx) {
      log = ctx.log;
    },
    async collect(now) {
      const series = [];
      for (const path of paths) {
        const u = await usage(path);
        if (u.truncated) log?.warn('dir_usage: entry limit reached, figures are partial', { path, maxEntries });
        series.push({ metric: 'dir_usage_bytes', labels: { path }, points: [[now, u.bytes]] });
        series.push({ metric: 'dir_usage_files', labels: { path }, points: [[now, u.files]] });
      }
      return { series };
    },
    close() {},
  };
}
