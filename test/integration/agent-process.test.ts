// `vigil agent` as a real child process against a real HTTP sink on 127.0.0.1: boot errors,
// batches from this host, graceful SIGTERM, an outage with replay, and kill -9 during a backlog
// drain (reliability T9 in small, T11). "Stored" is what a server with Idempotency-Key dedup would
// keep: one batch per key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { IngestBatchSchema, type IngestBatch } from '../../src/protocol/ingest.js';
import { IngestSink, defaultReply, until, type SinkRequest } from '../../src/agent/testing/ingest-sink.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const KEY = 'vgk_integration_secret_4f1c9a7e2b';

interface AgentProcess {
  proc: ChildProcess;
  stderr: string[];
  exited: Promise<number | null>;
}

function startAgent(args: string[], env: Record<string, string> = {}): AgentProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'agent', ...args], {
    cwd: ROOT,
    env: { ...process.env, VIGIL_KEY: KEY, VIGIL_LOG_LEVEL: 'info', VIGIL_CONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  let buf = '';
  proc.stderr?.on('data', (c: Buffer) => {
    buf += c.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    stderr.push(...lines);
  });
  proc.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, stderr, exited };
}

function logs(a: AgentProcess): { level: string; msg: string; [k: string]: unknown }[] {
  return a.stderr.flatMap((l) => {
    try {
      return [JSON.parse(l) as { level: string; msg: string }];
    } catch {
      return [];
    }
  });
}

/** seq of a request's Idempotency-Key (`<stream>-<seq>`). */
const seqOf = (r: SinkRequest) => Number(String(r.headers['idempotency-key']).split('-')[1]);

/** One batch per Idempotency-Key, as a deduplicating server stores them, ordered by seq. */
function stored(sink: IngestSink): SinkRequest[] {
  const byKey = new Map<string, SinkRequest>();
  for (const r of sink.ingests()) if (!byKey.has(String(r.headers['idempotency-key']))) byKey.set(String(r.headers['idempotency-key']), r);
  return [...byKey.values()].sort((a, b) => seqOf(a) - seqOf(b));
}

/**
 * No loss: seqs are handed out consecutively and a restart continues at the next block of 1000,
 * so within each block the stored seqs must be contiguous from the block's first seq.
 * No duplicate: every tick timestamp appears in exactly one stored batch.
 */
function assertNoGapNoDuplicate(batches: SinkRequest[]): void {
  const blocks = new Map<number, number[]>();
  for (const b of batches) {
    const seq = seqOf(b);
    const k = Math.floor(seq / 1000);
    blocks.set(k, [...(blocks.get(k) ?? []), seq]);
  }
  for (const [k, seqs] of blocks) assert.deepEqual(seqs, seqs.map((_, i) => k * 1000 + i), `seqs of block ${k} have a gap`);
  const ticks = batches.map((b) => (b.body as IngestBatch).series.find((s) => s.metric === 'vigil_agent_rss_bytes')?.points[0]?.[0]);
  assert.equal(new Set(ticks).size, ticks.length, 'a tick was stored twice');
  for (let i = 1; i < ticks.length; i++) assert.ok((ticks[i] as number) > (ticks[i - 1] as number), 'ticks arrive in order');
}

test('bad configuration exits with code 2 and says what to fix', async () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--interval', '1s'], {}, /--server is required/],
    [['--server', 'http://127.0.0.1:9', '--interval', '500ms'], {}, /--interval: "500ms" must be at least 1000 ms/],
    [['--server', 'ftp://x'], {}, /--server: "ftp:\/\/x" must be an http/],
    [['--server', 'http://127.0.0.1:9'], { VIGIL_KEY: '' }, /--key is required/],
    [['--server', 'http://127.0.0.1:9', '--exec', '[{"name":"x"}]'], {}, /exec\[0\]\.command must be a non-empty list/],
    [['--server', 'http://127.0.0.1:9', '--top-processes', '500'], {}, /--top-processes: "500" must be at most 100/],
  ];
  for (const [args, env, re] of cases) {
    const a = startAgent(args, env);
    assert.equal(await a.exited, 2, args.join(' '));
    assert.match(a.stderr.join('\n'), re);
    assert.ok(!a.stderr.join('\n').includes(KEY));
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-int-'));
  try {
    const a = startAgent(['--server', 'http://127.0.0.1:9', '--data-dir', dir, '--collectors', 'cpu,gpu']);
    assert.equal(await a.exited, 2);
    assert.match(a.stderr.join('\n'), /unknown collector \\"gpu\\"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reports this host every second; SIGTERM stops it cleanly; the key never appears in the log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-int-'));
  const sink = new IngestSink();
  const url = await sink.start();
  const config = join(dir, 'agent.yaml');
  writeFileSync(config, `exec:\n  - name: kernel-files\n    command: [${join(ROOT, 'examples/exec/kernel-files.sh')}]\nplugin: [${join(ROOT, 'examples/plugins/dir-usage.mjs')}]\n`);
  const a = startAgent(['--server', url, '--interval', '1s', '--data-dir', join(dir, 'data'), '--config', config], { VIGIL_DIR_USAGE_PATHS: dir });
  try {
    await until(() => sink.ingests().length >= 3, 20_000, 'three batches');
    assert.equal(sink.registers().length, 1);
    const batches = sink.ingests().map((r) => r.body as IngestBatch);
    for (const b of batches) assert.ok(Value.Check(IngestBatchSchema, b), JSON.stringify([...Value.Errors(IngestBatchSchema, b)].slice(0, 3)));
    const metrics = new Set(batches.flatMap((b) => b.series.map((s) => s.metric)));
    for (const m of ['cpu_usage_percent', 'memory_usage_percent', 'filesystem_usage_percent', 'load1', 'uptime_seconds', 'processes_total', 'kernel_file_handles', 'dir_usage_bytes']) {
      assert.ok(metrics.has(m), `missing ${m}`);
    }
    assert.ok(batches.some((b) => (b.processes?.processes.length ?? 0) > 0), 'a top-processes snapshot');
    a.proc.kill('SIGTERM');
    assert.equal(await a.exited, 0);
    const msgs = logs(a).map((l) => l.msg);
    assert.ok(msgs.includes('agent started') && msgs.includes('agent stopped'), msgs.join(' | '));
    assert.ok(!a.stderr.join('\n').includes(KEY), 'the key is never logged');
  } finally {
    a.proc.kill('SIGKILL');
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('server outage: the agent keeps collecting into the spool and replays everything in order afterwards', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-int-'));
  const sink = new IngestSink();
  const url = await sink.start();
  const port = Number(new URL(url).port);
  const a = startAgent(['--server', url, '--interval', '1s', '--data-dir', dir, '--collectors', 'load,uptime,agent']);
  try {
    await until(() => sink.ingests().length >= 2, 20_000, 'first batches');
    await sink.stop();
    const before = sink.ingests().length;
    await new Promise((r) => setTimeout(r, 4000));
    await sink.start(port);
    // Backoff is at most ~1.6 s after 4 s of failures; then the backlog drains back to back.
    await until(() => stored(sink).length >= before + 5, 20_000, 'replay');
    a.proc.kill('SIGTERM');
    assert.equal(await a.exited, 0);
    assertNoGapNoDuplicate(stored(sink));
    const warn = logs(a).filter((l) => l.level === 'warn' && /unavailable/.test(l.msg));
    assert.ok(warn.length >= 1 && warn.length <= 2, `outage logged once, not per retry (${warn.length})`);
    assert.ok(logs(a).some((l) => l.msg === 'server reachable again'));
  } finally {
    a.proc.kill('SIGKILL');
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('T11: kill -9 during a backlog drain loses nothing and stores nothing twice', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-agent-int-'));
  const sink = new IngestSink();
  const url = await sink.start();
  const port = Number(new URL(url).port);
  const args = ['--server', url, '--interval', '1s', '--data-dir', dir, '--collectors', 'load,agent'];
  let a = startAgent(args);
  try {
    await until(() => sink.ingests().length >= 1, 20_000, 'first batch');
    await sink.stop();
    await new Promise((r) => setTimeout(r, 4000));
    // Slow answers keep the drain in progress long enough to kill the agent in the middle of it.
    sink.reply = (req) => ({ ...defaultReply(req), delayMs: 150 });
    await sink.start(port);
    for (let round = 0; round < 3; round++) {
      const seen = sink.ingests().length;
      await until(() => sink.ingests().length >= seen + 2, 20_000, `drain round ${round}`);
      a.proc.kill('SIGKILL');
      await a.exited;
      a = startAgent(args);
    }
    sink.reply = defaultReply;
    const target = stored(sink).length + 3;
    await until(() => stored(sink).length >= target, 30_000, 'drain after the kills');
    a.proc.kill('SIGTERM');
    assert.equal(await a.exited, 0);
    assertNoGapNoDuplicate(stored(sink));
    // Each kill hit a request in flight (answers take 150 ms): those batches were sent again after
    // the restart with the same key, which the server's idempotency turns into no-ops.
    const resent = sink.ingests().length - stored(sink).length;
    assert.ok(resent >= 1, 'the kills interrupted sends, so some batches were sent twice with one key');
  } finally {
    a.proc.kill('SIGKILL');
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
