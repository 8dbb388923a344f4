import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const MODULE = new URL('./young-generation.ts', import.meta.url).href;

/** Young-generation size (MB) after keeping 400,000 objects alive, in a fresh process, with or without the cap. */
function newSpaceMbAfterSurvivors(capped: boolean): number {
  const code = `
    import { getHeapSpaceStatistics } from 'node:v8';
    ${capped ? `const { keepYoungGenerationSmall } = await import(${JSON.stringify(MODULE)}); keepYoungGenerationSmall();` : ''}
    const before = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const keep = [];
    for (let i = 0; i < 400000; i++) keep.push({ i, s: 'x' + i });
    const after = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    console.log(JSON.stringify({ before, after, kept: keep.length }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' })) as { before: number; after: number };
  return out.after / 2 ** 20 - out.before / 2 ** 20;
}

test('this Node honours the young-generation cap set at run time: survivors no longer grow it (they do without the cap)', () => {
  assert.ok(newSpaceMbAfterSurvivors(false) > 0, 'without the cap V8 grows the young generation');
  assert.equal(newSpaceMbAfterSurvivors(true), 0);
});
