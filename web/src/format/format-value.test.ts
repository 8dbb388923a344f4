import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatAxisValue, trimZeros, formatBytes, formatCompact, formatPercent, formatSpan, formatValue, MISSING_VALUE, roundForDisplay, type Unit } from './format-value.js';

test('formatBytes uses IEC prefixes and at most three integer digits', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(1000 * 1024), '0.98 MiB');
  assert.equal(formatBytes(8 * 1024 ** 3), '8.00 GiB');
  assert.equal(formatBytes(123.4 * 1024 ** 4), '123 TiB');
  assert.equal(formatBytes(-2048), '-2.00 KiB');
});

test('formatters print a dash for missing and non-finite values', () => {
  for (const v of [null, undefined, Number.NaN, Infinity, -Infinity]) {
    assert.equal(formatBytes(v), MISSING_VALUE);
    assert.equal(formatPercent(v), MISSING_VALUE);
    assert.equal(formatCompact(v), MISSING_VALUE);
    assert.equal(formatSpan(v), MISSING_VALUE);
    assert.equal(formatValue(v, 'bytesPerSecond'), MISSING_VALUE);
  }
});

test('formatValue appends the unit', () => {
  assert.equal(formatValue(42.123, 'percent'), '42.1 %');
  assert.equal(formatValue(3 * 1024 * 1024, 'bytesPerSecond'), '3.00 MiB/s');
  assert.equal(formatValue(12_500, 'perSecond'), '12.5k/s');
  assert.equal(formatValue(90, 'seconds'), '1 min 30 s');
  assert.equal(formatValue(7, 'count'), '7.00');
  assert.equal(formatValue(0.5, 'none'), '0.50');
});

test('formatSpan shows the two largest units', () => {
  assert.equal(formatSpan(250), '250 ms');
  assert.equal(formatSpan(4500), '4.50 s');
  assert.equal(formatSpan(93_784_000), '1 d 2 h');
  assert.equal(formatSpan(3_600_000), '1 h');
  assert.equal(formatSpan(61_000), '1 min 1 s');
});

test('roundForDisplay keeps about three significant digits', () => {
  assert.equal(roundForDisplay(123.456), '123');
  assert.equal(roundForDisplay(12.345), '12.3');
  assert.equal(roundForDisplay(1.2345), '1.23');
  assert.equal(roundForDisplay(0.001234), '0.0012');
});

const units: Unit[] = ['percent', 'bytes', 'bytesPerSecond', 'perSecond', 'seconds', 'count', 'none'];

test('property: formatValue never throws and never prints NaN, Infinity or exponents for finite input', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...units), (v, unit) => {
      const text = formatValue(v, unit);
      assert.equal(typeof text, 'string');
      assert.ok(text.length > 0 && text.length <= 340, text);
      assert.doesNotMatch(text, /NaN|Infinity|e[+-]\d/);
    }),
  );
});

test('property: scaled byte counts print at most three integer digits', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, min: 0, max: 1e18 }), (v) => {
      const [num] = formatBytes(v).split(' ');
      const intPart = (num as string).split('.')[0] as string;
      assert.ok(intPart.replace('-', '').length <= 3, formatBytes(v));
    }),
  );
});

test('axis labels drop trailing zeros only after a decimal point', () => {
  assert.equal(trimZeros('20.0 %'), '20 %');
  assert.equal(trimZeros('1.50 GiB'), '1.5 GiB');
  assert.equal(trimZeros('100 %'), '100 %');
  assert.equal(trimZeros('0.05'), '0.05');
  assert.equal(trimZeros('10.0k/s'), '10k/s');
  assert.equal(formatAxisValue(2 * 1024 ** 3, 'bytes'), '2 GiB');
});
