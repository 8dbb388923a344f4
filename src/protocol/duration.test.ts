import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDuration, parseDuration, ParseError } from './duration.js';

describe('parseDuration', () => {
  it('reads units and combinations', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('2w'), 1_209_600_000);
  });

  for (const bad of ['', '10', '1x', 's', '1m1h', '1h1h', '-1s', '1.5s', '99999999999d']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseDuration(bad), ParseError));
  }

  it('round-trips formatDuration', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300_000_000_000 }), (ms) => assert.equal(parseDuration(formatDuration(ms)), ms)), { numRuns: 1000 });
  });

  it('arbitrary text gives a number or a ParseError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        try {
          assert.ok(Number.isInteger(parseDuration(s)));
        } catch (err) {
          assert.ok(err instanceof ParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
