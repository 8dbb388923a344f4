import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mergeParts } from './peer-heads.js';

/** A part as the engine hands them over: strictly ascending timestamps. */
const part = fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 40 }).map((ts) => {
  const sorted = [...ts].sort((a, b) => a - b);
  return { ts: Float64Array.from(sorted), values: Float64Array.from(sorted.map((t) => t * 2 + 1)) };
});

describe('mergeParts (own head + peer heads + chunks)', () => {
  it('yields every timestamp of every part exactly once, ascending', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const merged = mergeParts(parts);
        const union = [...new Set(parts.flatMap((p) => [...p.ts]))].sort((a, b) => a - b);
        assert.deepEqual([...merged.ts], union);
        assert.deepEqual([...merged.values], union.map((t) => t * 2 + 1));
      }),
    );
  });

  it('keeps the value of the first part listed when two sources disagree on a timestamp', () => {
    const merged = mergeParts([
      { ts: Float64Array.from([1, 3]), values: Float64Array.from([10, 30]) },
      { ts: Float64Array.from([2, 3]), values: Float64Array.from([20, 99]) },
    ]);
    assert.deepEqual([...merged.ts], [1, 2, 3]);
    assert.deepEqual([...merged.values], [10, 20, 30]);
  });
});
