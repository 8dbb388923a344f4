import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureHost } from '../testing/fixture-host.js';
import { loadPlugin } from './load-plugin.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

test('the example plugin loads from a path relative to cwd and reports directory usage', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dir-usage-'));
  const host = new FixtureHost();
  const before = process.env.VIGIL_DIR_USAGE_PATHS;
  try {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a'), 'x'.repeat(100));
    writeFileSync(join(dir, 'sub', 'b'), 'y'.repeat(23));
    process.env.VIGIL_DIR_USAGE_PATHS = dir;
    const factory = await loadPlugin('examples/plugins/dir-usage.mjs', ROOT);
    assert.equal(factory.name, 'dir_usage');
    const c = factory.create(host.ctx());
    await c.init(host.ctx());
    assert.deepEqual((await c.collect(42)).series, [
      { metric: 'dir_usage_bytes', labels: { path: dir }, points: [[42, 123]] },
      { metric: 'dir_usage_files', labels: { path: dir }, points: [[42, 2]] },
    ]);
    await c.close();
  } finally {
    if (before === undefined) delete process.env.VIGIL_DIR_USAGE_PATHS;
    else process.env.VIGIL_DIR_USAGE_PATHS = before;
    rmSync(dir, { recursive: true, force: true });
    host.cleanup();
  }
});

test('broken plugins fail at load with a message that says what to fix', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bad-plugins-'));
  try {
    const cases: [string, string, RegExp][] = [
      ['syntax.mjs', 'export default function (', /cannot be imported/],
      ['no-export.mjs', 'export const x = 1;', /must export a function as default/],
      ['throws.mjs', 'export default () => { throw new Error("no config"); }', /the factory threw: no config/],
      ['not-object.mjs', 'export default () => 42', /must return an object/],
      ['bad-name.mjs', 'export default () => ({ name: "../x", collect() {} })', /"name" must be/],
      ['no-collect.mjs', 'export default () => ({ name: "x" })', /"collect\(now\)" must be a function/],
      ['bad-init.mjs', 'export default () => ({ name: "x", collect() {}, init: 1 })', /"init" must be a function/],
    ];
    for (const [file, src, re] of cases) {
      writeFileSync(join(dir, file), src);
      await assert.rejects(loadPlugin(join(dir, file)), (e: Error) => e.name === 'PluginLoadError' && re.test(e.message), file);
    }
    await assert.rejects(loadPlugin(join(dir, 'missing.mjs')), /file not found/);
    writeFileSync(join(dir, 'named.mjs'), 'export async function createCollector() { return { name: "n", collect: (now) => ({ series: [] }) }; }');
    const f = await loadPlugin(join(dir, 'named.mjs'));
    const host = new FixtureHost();
    const c = f.create(host.ctx());
    await c.init(host.ctx());
    assert.deepEqual(await c.collect(1), { series: [] });
    await c.close();
    host.cleanup();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
