import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../../src/server/testing/test-app.js';

/** Mounts a small tmpfs (needs CAP_SYS_ADMIN); returns false when this machine does not allow it. */
function mountTmpfs(dir: string, size: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}

/** Writes a file until the file system is full (ENOSPC). */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(16 * 1024, 7);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    // Squeeze out the last partial block too.
    try {
      for (;;) writeSync(fd, Buffer.alloc(512));
    } catch {
      /* full */
    }
  } finally {
    closeSync(fd);
  }
}

const mountDir = mkdtempSync(join(tmpdir(), 'vigil-tmpfs-'));
const mounted = mountTmpfs(mountDir, '6m');

describe('a full disk during ingest (real tmpfs, ENOSPC)', { skip: mounted ? false : 'cannot mount a tmpfs here (needs root); the engine test with max_page_count covers SQLITE_FULL' }, () => {
  let t: TestApp;
  let key: string;
  let cookie: string;
  const now = Date.now();
  const body = (ts: number, n = 200) =>
    JSON.stringify({ series: Array.from({ length: n }, (_, i) => ({ metric: 'disk_test', labels: { n: String(i) }, points: [[ts, i]] })) });
  const ingest = (payload: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/ingest', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload });

  before(async () => {
    t = await createTestApp({ dataDir: mountDir });
    cookie = await t.login();
    key = await t.agentKey('disk-host');
  });
  after(async () => {
    await t?.close();
    spawnSync('umount', [mountDir]);
    rmdirSync(mountDir);
  });

  it('answers 503 + Retry-After while full, keeps serving reads, and recovers without a restart', async () => {
    assert.equal((await ingest(body(now - 60_000))).statusCode, 200);
    fillDisk(join(mountDir, 'filler'));
    let full: Awaited<ReturnType<typeof ingest>> | null = null;
    for (let i = 0; i < 200 && !full; i++) {
      const res = await ingest(body(now - 59_000 + i * 10, 2000));
      if (res.statusCode !== 200) full = res;
    }
    assert.ok(full, 'ingest eventually hits the full disk');
    assert.equal(full.statusCode, 503, full.body);
    assert.equal(full.json().error.code, 'VIGIL_ERR_STORAGE_FULL');
    assert.ok(Number(full.headers['retry-after']) >= 1);
    const q = await t.app.inject({ method: 'GET', url: `/api/v1/query?query=disk_test{n="5"}&start=${now - 120_000}&end=${now}&step=60s`, headers: { cookie } });
    assert.equal(q.statusCode, 200, q.body);
    assert.ok(q.json().series[0].values.some((v: number | null) => v === 5));
    unlinkSync(join(mountDir, 'filler'));
    const again = await ingest(body(now - 30_000));
    assert.equal(again.statusCode, 200, again.body);
    const q2 = await t.app.inject({ method: 'GET', url: `/api/v1/query?query=disk_test{n="7"}&start=${now - 120_000}&end=${now}&step=1s&agg=count`, headers: { cookie } });
    assert.ok(q2.json().series[0].values.filter((v: number | null) => v !== null).length >= 2);
  });
});

if (!mounted) rmSync(mountDir, { recursive: true, force: true });
