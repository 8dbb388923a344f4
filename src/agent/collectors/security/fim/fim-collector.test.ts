import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecurityEventInput } from '../../../../protocol/security.js';
import { FixtureHost } from '../../../testing/fixture-host.js';
import { until } from '../../../testing/ingest-sink.js';
import { sanitizeEvents } from '../../../sanitize-events.js';
import { fimCollectorFactory, type FimOptions } from './fim-collector.js';

const OPTS: FimOptions = { paths: ['/etc/passwd', '/etc/sudoers', '/opt/app'], exclude: ['/opt/app/cache', '/opt/app/**/*.swp'], intervalMs: 1000, maxFiles: 1000, maxFileBytes: 1024, watch: false };

async function setup(opts: Partial<FimOptions> = {}) {
  const host = new FixtureHost();
  host.use('t0');
  mkdirSync(join(host.dir, 'opt/app/cache'), { recursive: true });
  mkdirSync(join(host.dir, 'opt/app/lib'), { recursive: true });
  writeFileSync(join(host.dir, 'etc/sudoers'), 'root ALL=(ALL:ALL) ALL\n');
  writeFileSync(join(host.dir, 'opt/app/run.sh'), '#!/bin/sh\necho hi\n');
  writeFileSync(join(host.dir, 'opt/app/big.bin'), Buffer.alloc(4096, 1));
  writeFileSync(join(host.dir, 'opt/app/cache/x'), 'volatile');
  const emitted: SecurityEventInput[] = [];
  const ctx = host.ctx({ emitEvents: (e) => void emitted.push(...e) });
  const factory = fimCollectorFactory({ ...OPTS, ...opts });
  const c = factory.create(ctx);
  await c.init(ctx);
  const baselineFile = join(ctx.stateDir, 'baseline.json');
  return {
    host,
    ctx,
    c,
    factory,
    emitted,
    baselineFile,
    /** Runs a scheduled scan at `now` and waits until it is done (the scan runs in the background). */
    async scan(now: number, expectEvents: number) {
      await c.collect(now);
      await until(() => emitted.length >= expectEvents && existsSync(baselineFile), 10_000, `${expectEvents} events`);
      // Give a running scan the chance to finish before the next one is started.
      await new Promise((r) => setTimeout(r, 50));
    },
  };
}

test('baseline is silent; scans report content, permission, added, removed and large-file changes with MITRE ids', async () => {
  const s = await setup();
  try {
    await s.scan(0, 0);
    assert.equal(s.emitted.length, 0);
    appendFileSync(join(s.host.dir, 'etc/passwd'), 'mallory:x:0:0::/root:/bin/bash\n');
    chmodSync(join(s.host.dir, 'etc/sudoers'), 0o666);
    writeFileSync(join(s.host.dir, 'opt/app/lib/new.so'), 'ELF');
    rmSync(join(s.host.dir, 'opt/app/run.sh'));
    appendFileSync(join(s.host.dir, 'opt/app/big.bin'), 'more');
    writeFileSync(join(s.host.dir, 'opt/app/cache/y'), 'excluded');
    writeFileSync(join(s.host.dir, 'opt/app/lib/.new.so.swp'), 'excluded by glob');
    await s.scan(1000, 5);
    assert.deepEqual(sanitizeEvents(s.emitted).reasons, []);
    const by = (path: string) => s.emitted.find((e) => e.metadata?.path === path);
    const passwd = by('/etc/passwd');
    assert.equal(passwd?.event_type, 'file_changed');
    assert.equal(passwd?.severity, 'high');
    assert.equal(passwd?.mitre_technique, 'T1098');
    assert.deepEqual(passwd?.metadata?.changed, ['sha256', 'size']);
    const before = passwd?.metadata?.before as { sha256: string; size: number };
    const after = passwd?.metadata?.after as { sha256: string; size: number };
    assert.match(after.sha256, /^[0-9a-f]{64}$/);
    assert.notEqual(before.sha256, after.sha256);
    assert.equal(after.size, before.size + 31);
    const sudoers = by('/etc/sudoers');
    assert.deepEqual([sudoers?.event_type, sudoers?.mitre_technique, sudoers?.metadata?.changed], ['file_changed', 'T1222.002', ['mode']]);
    assert.equal((sudoers?.metadata?.after as { mode: string }).mode, '100666');
    assert.equal(by('/opt/app/lib/new.so')?.event_type, 'file_added');
    assert.equal(by('/opt/app/run.sh')?.event_type, 'file_removed');
    const big = by('/opt/app/big.bin');
    assert.deepEqual(big?.metadata?.changed, ['size', 'mtime']);
    assert.equal((big?.metadata?.after as { hash_skipped: string }).hash_skipped, 'too_large');
    assert.equal(s.emitted.length, 5, 'excluded paths report nothing');
    await s.c.close();
    // Changed while the agent was down: the first scan after a restart reports it.
    writeFileSync(join(s.host.dir, 'etc/sudoers'), 'mallory ALL=(ALL) NOPASSWD: ALL\n');
    s.emitted.splice(0);
    const again = s.factory.create(s.ctx);
    await again.init(s.ctx);
    await again.collect(5000);
    await until(() => s.emitted.length === 1, 10_000, 'offline change');
    assert.equal(s.emitted[0]?.mitre_technique, 'T1548.003');
    assert.equal(s.emitted[0]?.metadata?.detected_by, 'scan');
    await again.close();
  } finally {
    s.host.cleanup();
  }
});

test('fs.watch: a watched file rewritten in place or replaced by rename is reported within seconds, without a scan', async () => {
  const s = await setup({ watch: true, intervalMs: 3_600_000 });
  try {
    await s.scan(0, 0);
    const t0 = Date.now();
    appendFileSync(join(s.host.dir, 'etc/passwd'), 'eve:x:1001:1001::/home/eve:/bin/sh\n');
    await until(() => s.emitted.length === 1, 5_000, 'file_changed by fs.watch');
    assert.equal(s.emitted[0]?.event_type, 'file_changed');
    assert.equal(s.emitted[0]?.metadata?.detected_by, 'watch');
    assert.ok(Date.now() - t0 < 5_000);
    // vipw-style update: write passwd+ then rename it over passwd (a new inode).
    writeFileSync(join(s.host.dir, 'etc/passwd+'), 'root:x:0:0:root:/root:/bin/bash\n');
    renameSync(join(s.host.dir, 'etc/passwd+'), join(s.host.dir, 'etc/passwd'));
    await until(() => s.emitted.length === 2, 5_000, 'rename seen');
    assert.equal(s.emitted[1]?.metadata?.path, '/etc/passwd');
    // Files in a watched directory too; other files in /etc are not watched.
    writeFileSync(join(s.host.dir, 'opt/app/dropper'), 'x');
    writeFileSync(join(s.host.dir, 'etc/hostname-unwatched'), 'x');
    await until(() => s.emitted.length === 3, 5_000, 'added by watch');
    assert.equal(s.emitted[2]?.event_type, 'file_added');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.emitted.length, 3);
  } finally {
    await s.c.close();
    s.host.cleanup();
  }
});
