import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcReader } from './proc-reader.js';

test('ProcReader reads files larger than its buffer and reuses it across reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-procreader-'));
  try {
    const big = 'x'.repeat(70_000) + 'é';
    writeFileSync(join(dir, 'big'), big);
    writeFileSync(join(dir, 'small'), 'hello');
    const r = new ProcReader();
    assert.equal(r.read(join(dir, 'small')), 'hello');
    assert.equal(r.read(join(dir, 'big')), big);
    assert.equal(r.read(join(dir, 'small')), 'hello');
    assert.equal(r.tryRead(join(dir, 'missing')), null);
    assert.throws(() => r.read(join(dir, 'missing')), { code: 'ENOENT' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ProcReader reads a real /proc file when running on Linux', { skip: process.platform !== 'linux' }, () => {
  assert.match(new ProcReader().read('/proc/self/stat'), /^\d+ \(/);
});
