import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

describe('vigil rules test (CLI process)', () => {
  it('vigil rules test: exit 0 on the example file, 1 on a failing expectation, 2 on usage errors', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'rules', ...args], { encoding: 'utf8' });
    const ok = run('test', 'test/fixtures/rules/host-rules.test.yaml');
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /SUCCESS \(2 tests\)/);
    const bad = run('test', 'test/fixtures/rules/failing.test.yaml');
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /web-9/);
    assert.equal(run('frobnicate').status, 2);
  });
});
