// The agent end to end inside one process: fixture /proc, a real spool directory, a real HTTP
// sink on 127.0.0.1 and a ManualClock driving the ticks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { AgentHelloSchema, IngestBatchSchema, type AgentHello, type IngestBatch } from '../protocol/ingest.js';
import { parseOptions } from '../options/option-spec.js';
import { Agent, AgentBootError } from './agent.js';
import { AGENT_OPTION_SPECS, agentConfig, type AgentConfig } from './agent-options.js';
import { FixtureHost } from './testing/fixture-host.js';
import { IngestSink, until } from './testing/ingest-sink.js';
import { ManualClock } from './testing/manual-clock.js';

const KEY = 'vgk_agent_test_key_abcdef123456';
const T0 = 1_800_000_000_000; // a multiple of 1 s and 10 s

function config(url: string, dataDir: string, host: FixtureHost, extra: string[] = []): AgentConfig {
  const r = parseOptions(AGENT_OPTION_SPECS, {
    argv: ['--server', url, '--interval', '1s', '--data-dir', dataDir, '--proc-root', `${host.dir}/proc`, '--sys-root', `${host.dir}/sys`, '--root-fs', host.dir, ...extra],
    env: { VIGIL_KEY: KEY },
  });
  assert.deepEqual(r.errors, []);
  return agentConfig(r.values);
}

async function setup(extra: string[] = []) {
  const host = new FixtureHost();
  host.use('t0');
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-agent-'));
  const sink = new IngestSink();
  const url = await sink.start();
  const clock = new ManualClock(T0);
  const agent = await Agent.start(config(url, dataDir, host, extra), { log: host.log, clock, random: () => 1 });
  return {
    host,
    dataDir,
    sink,
    clock,
    agent,
    async cleanup() {
      await agent.stop();
      await sink.stop();
      host.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

test('ticks produce valid batches: gauges at once, rates and the process snapshot from the second tick', async () => {
  const s = await setup();
  const ac = new AbortController();
  let running: Promise<void> = Promise.resolve();
  try {
    const hello = s.agent.facts();
    assert.ok(Value.Check(AgentHelloSchema, hello), JSON.stringify([...Value.Errors(AgentHelloSchema, hello)]));
    assert.deepEqual(hello.capabilities, ['cpu', 'memory', 'filesystem', 'disk', 'network', 'load', 'uptime', 'processes', 'agent', 'fim', 'suspicious-processes']);
    // Security collectors whose sources the fixture host lacks are reported once, with the reason.
    assert.deepEqual(hello.unavailable, [`auth-log: no var/log/auth.log or var/log/secure under ${s.host.dir}`, `listening-ports: ${s.host.dir}/proc/net/tcp is not readable`]);
    assert.equal(hello.osRelease, 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(hello.bootTime, 1795319357000);
    running = s.agent.run(ac.signal);
    await until(() => s.sink.ingests().length === 1, 10_000, 'first batch');
    const first = s.sink.ingests()[0]?.body as IngestBatch;
    assert.ok(Value.Check(IngestBatchSchema, first), JSON.stringify([...Value.Errors(IngestBatchSchema, first)].slice(0, 3)));
    const metrics1 = new Set(first.series.map((x) => x.metric));
    for (const m of ['memory_usage_percent', 'load1', 'uptime_seconds', 'processes_total', 'filesystem_usage_percent', 'vigil_agent_rss_bytes', 'vigil_agent_spool_bytes', 'vigil_agent_dropped_samples_total']) {
      assert.ok(metrics1.has(m), m);
    }
    assert.ok(!metrics1.has('cpu_usage_percent'), 'no rate on the first tick');
    assert.equal(first.processes, undefined);
    for (const x of first.series) assert.deepEqual(x.points.map((p) => p[0]), [T0]);

    // The next tick is at the next whole second; the host's counters moved meanwhile.
    s.host.use('t1');
    await until(() => s.clock.pending.includes(1000), 10_000, 'wait for the next tick');
    s.clock.advance(1000);
    await until(() => s.sink.ingests().length === 2, 10_000, 'second batch');
    const second = s.sink.ingests()[1]?.body as IngestBatch;
    assert.ok(Value.Check(IngestBatchSchema, second));
    const metrics2 = new Set(second.series.map((x) => x.metric));
    for (const m of ['cpu_usage_percent', 'cpu_mode_percent', 'disk_read_bytes_per_second', 'network_receive_bytes_per_second', 'vigil_agent_cpu_percent']) assert.ok(metrics2.has(m), m);
    assert.equal(second.processes?.ts, T0 + 1000);
    assert.equal(second.processes?.processes[0]?.pid, 25269);
    assert.equal(second.agentStats?.droppedSamples, 0);
  } finally {
    ac.abort();
    await running;
    await s.cleanup();
  }
});

test('a failing, a hanging and a lying plugin cost only their own data', async () => {
  const pluginDir = mkdtempSync(join(tmpdir(), 'vigil-plugins-'));
  writeFileSync(join(pluginDir, 'fails.mjs'), 'export default () => ({ name: "fails", collect() { throw new Error("sensor offline"); } })');
  writeFileSync(join(pluginDir, 'hangs.mjs'), 'export default () => ({ name: "hangs", collect() { return new Promise(() => {}); } })');
  writeFileSync(
    join(pluginDir, 'lies.mjs'),
    'export default () => ({ name: "lies", collect(now) { return { series: [{ metric: "ok_metric", labels: { host: "evil" }, points: [[now, 1]] }, { metric: "bad name", points: [[now, 1]] }, { metric: "nan_metric", points: [[now, NaN]] }] }; } })',
  );
  const s = await setup(['--plugin', ['fails', 'hangs', 'lies'].map((n) => join(pluginDir, `${n}.mjs`)).join(','), '--collectors', 'load,fails,hangs,lies']);
  try {
    const tick = s.agent.tick(T0);
    // The hanging plugin holds the tick until the collection deadline (interval - 250 ms).
    await until(() => s.clock.pending.includes(750), 10_000, 'collection deadline');
    s.clock.advance(750);
    await tick;
    await until(() => s.sink.ingests().length === 1, 10_000, 'batch');
    const batch = s.sink.ingests()[0]?.body as IngestBatch;
    assert.deepEqual(batch.series.map((x) => [x.metric, x.labels]), [
      ['load1', undefined],
      ['load5', undefined],
      ['load15', undefined],
      ['ok_metric', { exported_host: 'evil' }],
    ]);
    const warn = (re: RegExp) => s.host.log.events.filter((e) => e.level === 'warn' && re.test(e.msg));
    assert.equal(warn(/collector failed/)[0]?.fields?.collector, 'fails');
    assert.equal(warn(/missed the collection deadline/)[0]?.fields?.collector, 'hangs');
    assert.equal(warn(/invalid series/)[0]?.fields?.droppedItems, 2);
    // The next tick skips the still-hanging collector instead of piling up calls.
    await s.agent.tick(T0 + 1000);
    assert.equal(warn(/still busy/)[0]?.fields?.collector, 'hangs');
  } finally {
    await s.cleanup();
    rmSync(pluginDir, { recursive: true, force: true });
  }
});

test('boot errors: unknown collector, broken plugin and a data dir in use are AgentBootErrors', async () => {
  const s = await setup();
  try {
    const url = `http://127.0.0.1:1`;
    const start = (extra: string[], dataDir = mkdtempSync(join(tmpdir(), 'vigil-agent-boot-'))) => Agent.start(config(url, dataDir, s.host, extra), { log: s.host.log, clock: s.clock });
    await assert.rejects(start(['--collectors', 'cpu,gpu']), (e: Error) => e instanceof AgentBootError && /unknown collector "gpu"/.test(e.message));
    await assert.rejects(start(['--plugin', '/nonexistent/plugin.mjs']), (e: Error) => e instanceof AgentBootError && /file not found/.test(e.message));
    await assert.rejects(start([], s.dataDir), (e: Error) => e instanceof AgentBootError && /in use by another agent/.test(e.message));
    const file = join(s.dataDir, 'not-a-dir');
    writeFileSync(file, '');
    await assert.rejects(start([], file), (e: Error) => e instanceof AgentBootError && /not usable/.test(e.message));
  } finally {
    await s.cleanup();
  }
});

test('facts sent at registration follow the schema also when collectors are unavailable', async () => {
  const s = await setup(['--disable', 'processes', '--hostname', 'web-1']);
  try {
    await until(() => s.sink.registers().length === 1, 10_000, 'registration');
    const hello = s.sink.registers()[0]?.body as AgentHello;
    assert.equal(hello.hostname, 'web-1');
    assert.ok(!hello.capabilities.includes('processes'));
    assert.ok(Value.Check(AgentHelloSchema, hello));
    assert.equal(s.sink.registers()[0]?.headers.authorization, `Bearer ${KEY}`);
  } finally {
    await s.cleanup();
  }
});
