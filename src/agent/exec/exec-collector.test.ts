import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixtureHost } from '../testing/fixture-host.js';
import { ExecCollector } from './exec-collector.js';
import { parseExecConfigs, type ExecCollectorConfig } from './exec-config.js';
import type { RunCommandError} from './run-command.js';
import { runCommand } from './run-command.js';

const EXAMPLE = new URL('../../../examples/exec/kernel-files.sh', import.meta.url).pathname;
const node = (script: string) => [process.execPath, '-e', script];

function config(command: string[], extra: Partial<ExecCollectorConfig> = {}): ExecCollectorConfig {
  return { name: 'test', command, timeoutMs: 5000, maxOutputBytes: 1024 * 1024, ...extra };
}

test('the example exec script is parsed into series stamped with the tick time', { skip: process.platform !== 'linux' }, async () => {
  const host = new FixtureHost();
  try {
    const c = new ExecCollector(config([EXAMPLE]));
    c.init(host.ctx({ intervalMs: 10_000 }));
    const { series } = await c.collect(1234);
    assert.deepEqual(series.map((s) => [s.metric, s.labels?.state]), [
      ['kernel_entropy_available_bits', undefined],
      ['kernel_file_handles', 'allocated'],
      ['kernel_file_handles', 'unused'],
      ['kernel_file_handles', 'max'],
    ]);
    for (const s of series) assert.ok(s.points[0]?.[0] === 1234 && Number.isFinite(s.points[0]?.[1]));
    assert.deepEqual(host.log.events.filter((e) => e.level === 'warn'), []);
  } finally {
    host.cleanup();
  }
});

test('bad lines are dropped with a count, good lines and timestamps are kept; the warning is throttled', async () => {
  const host = new FixtureHost();
  try {
    const out = 'ok 1\\nbad NaN\\nstamped{a=\\"x\\"} 2 1700000000000\\nworse{ 1\\n';
    const c = new ExecCollector(config(node(`process.stdout.write("${out}")`)));
    c.init(host.ctx({ intervalMs: 10_000 }));
    const { series } = await c.collect(5);
    assert.deepEqual(series, [
      { metric: 'ok', points: [[5, 1]] },
      { metric: 'stamped', labels: { a: 'x' }, points: [[1700000000000, 2]] },
    ]);
    await c.collect(6);
    const warns = host.log.events.filter((e) => e.level === 'warn');
    assert.equal(warns.length, 1);
    assert.equal(warns[0]?.fields?.rejectedLines, 2);
    assert.deepEqual((warns[0]?.fields?.firstErrors as { code: string }[]).map((e) => e.code), ['VIGIL_PROM_NON_FINITE', 'VIGIL_PROM_LABEL_NAME']);
  } finally {
    host.cleanup();
  }
});

test('runCommand: timeout kills the whole process group, output cap, non-zero exit, missing program', async () => {
  const started = Date.now();
  // The child starts a grandchild that would keep stdout open for 30 s; the group kill ends both.
  const grandchild = `require("child_process").spawn(process.execPath, ["-e", "setTimeout(()=>{}, 30000)"], { stdio: "inherit" }); setTimeout(()=>{}, 30000)`;
  await assert.rejects(runCommand(node(grandchild), { timeoutMs: 300, maxOutputBytes: 100 }), (e: RunCommandError) => e.reason === 'timeout');
  assert.ok(Date.now() - started < 10_000, 'the run ended long before the grandchild would have');
  await assert.rejects(runCommand(node('process.stdout.write("x".repeat(5000))'), { timeoutMs: 5000, maxOutputBytes: 1000 }), (e: RunCommandError) => e.reason === 'output_too_large');
  await assert.rejects(
    runCommand(node('process.stderr.write("boom"); process.exit(3)'), { timeoutMs: 5000, maxOutputBytes: 1000 }),
    (e: RunCommandError) => e.reason === 'exit' && e.message === 'exited with status 3' && e.stderr === 'boom',
  );
  await assert.rejects(runCommand(['/nonexistent/vigil-program'], { timeoutMs: 5000, maxOutputBytes: 1000 }), (e: RunCommandError) => e.reason === 'spawn');
  assert.equal(await runCommand(node('process.stdout.write("ok")'), { timeoutMs: 5000, maxOutputBytes: 1000 }), 'ok');
});

test('ExecCollector: the timeout never exceeds the collection deadline of the interval', async () => {
  const host = new FixtureHost();
  try {
    const c = new ExecCollector(config(node('setTimeout(()=>{}, 30000)'), { timeoutMs: 60_000 }));
    c.init(host.ctx({ intervalMs: 1000 }));
    const t0 = Date.now();
    await assert.rejects(Promise.resolve(c.collect(1)), (e: RunCommandError) => e.reason === 'timeout' && /650 ms/.test(e.message));
    assert.ok(Date.now() - t0 < 5000);
    c.close();
  } finally {
    host.cleanup();
  }
});

test('parseExecConfigs validates entries and applies defaults', () => {
  assert.deepEqual(parseExecConfigs([{ name: 'a', command: '/bin/echo  hi' }, { name: 'b', command: ['x', 'y z'], timeout: '2s', 'max-output': '64KiB' }]), [
    { name: 'a', command: ['/bin/echo', 'hi'], timeoutMs: 5000, maxOutputBytes: 1048576 },
    { name: 'b', command: ['x', 'y z'], timeoutMs: 2000, maxOutputBytes: 65536 },
  ]);
  const bad: [unknown, RegExp][] = [
    [{}, /must be a list/],
    [[1], /exec\[0\] must be an object/],
    [[{ name: 'a', command: 'x', shell: true }], /exec\[0\]: unknown key "shell"/],
    [[{ name: '1a', command: 'x' }], /exec\[0\]\.name/],
    [[{ name: 'a', command: 'x' }, { name: 'a', command: 'y' }], /exec\[1\]\.name "a" is used twice/],
    [[{ name: 'a', command: [] }], /exec\[0\]\.command must be a non-empty list/],
    [[{ name: 'a', command: 'x', timeout: 'soon' }], /exec\[0\]\.timeout: invalid duration "soon"/],
    [[{ name: 'a', command: 'x', timeout: '2h' }], /exec\[0\]\.timeout must be between 100ms and 1h/],
    [[{ name: 'a', command: 'x', 'max-output': '1TB' }], /exec\[0\]\.max-output must be between/],
  ];
  for (const [value, re] of bad) assert.throws(() => parseExecConfigs(value), re);
});
