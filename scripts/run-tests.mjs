#!/usr/bin/env node
// Runs one test suite with node:test through tsx: `unit` (colocated src/**/*.test.ts and
// web/src/**/*.test.ts), `integration` (test/integration) or `e2e` (test/e2e, builds the web
// bundle first). Extra arguments are passed through, e.g. a file filter:
//   node scripts/run-tests.mjs unit src/server/ingest
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureBuilt } from './build-if-needed.mjs';

const root = new URL('..', import.meta.url).pathname;
const suite = process.argv[2];
const filters = process.argv.slice(3);
const roots = { unit: ['src', 'web/src'], integration: ['test/integration'], e2e: ['test/e2e'] }[suite];
if (!roots) {
  console.error('usage: run-tests.mjs unit|integration|e2e [path-filter...]');
  process.exit(2);
}

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(root, p));
  }
  return out;
}

const files = roots.flatMap((r) => walk(join(root, r), [])).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  console.log(`[${suite}] no test files`);
  process.exit(0);
}
if (suite === 'e2e') ensureBuilt({ server: false, web: true });
const concurrency = suite === 'unit' ? '2' : '1';
const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files];
const started = Date.now();
const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, VIGIL_LOG_LEVEL: process.env.VIGIL_LOG_LEVEL ?? 'silent' } });
console.log(`[${suite}] ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${res.status}`);
process.exit(res.status ?? 1);
