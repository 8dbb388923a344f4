import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const MODULE = new URL('./optimizing-compiler.ts', import.meta.url).href;
/** Bit of `%GetOptimizationStatus` set while a function runs optimized code (V8's kOptimized). */
const OPTIMIZED = 16;

/** Optimization status of a hot function in a fresh process: compiler untouched, turned off, or turned off and on again. */
function statusOfHotFunction(mode: 'default' | 'off' | 'off-then-on'): number {
  const code = `
    const m = await import(${JSON.stringify(MODULE)});
    if (${JSON.stringify(mode)} !== 'default') m.turnOffOptimizingCompiler();
    if (${JSON.stringify(mode)} === 'off-then-on') m.turnOnOptimizingCompiler();
    function sum(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }
    const values = Array.from({ length: 1000 }, (_, i) => i);
    let total = 0;
    for (let i = 0; i < 20000; i++) total += sum(values);
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 20000; i++) total += sum(values);
    console.log(JSON.stringify({ status: %GetOptimizationStatus(sum), total }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' })) as { status: number; total: number };
  assert.equal(out.total, 40000 * 499500);
  return out.status;
}

test('this Node honours the switch set at run time: a hot function stays unoptimized (it is optimized without the switch, or when it is turned back on)', () => {
  assert.notEqual(statusOfHotFunction('default') & OPTIMIZED, 0, 'without the switch V8 optimizes the hot function');
  assert.equal(statusOfHotFunction('off') & OPTIMIZED, 0);
  assert.notEqual(statusOfHotFunction('off-then-on') & OPTIMIZED, 0);
});
