// Builds the server (tsc → dist/) and the web bundle (vite → web/dist/) when an output is
// missing or older than its newest source file, so `npm start` works on a fresh clone.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  // Sources may name single files (web/index.html), not only directories.
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

function stale(outputMarker, sources) {
  if (!existsSync(outputMarker)) return true;
  const built = statSync(outputMarker).mtimeMs;
  return sources.some((s) => newestMtime(join(root, s)) > built);
}

function run(label, cmd, args) {
  console.log(`[vigil] building ${label} ...`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`[vigil] building ${label} failed (exit ${res.status})`);
    process.exit(res.status ?? 1);
  }
}

/** Builds what is missing or stale. */
export function ensureBuilt({ server = true, web = true } = {}) {
  const bin = join(root, 'node_modules', '.bin');
  if (server && stale(join(root, 'dist', 'cli.js'), ['src'])) run('server (tsc)', join(bin, 'tsc'), ['-p', 'tsconfig.build.json']);
  if (web && stale(join(root, 'web', 'dist', 'index.html'), ['web/src', 'web/index.html', 'src/protocol'])) {
    run('dashboard (vite)', join(bin, 'vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
  }
}
