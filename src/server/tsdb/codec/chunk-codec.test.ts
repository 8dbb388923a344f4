import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { ChunkEncoder } from './chunk-encoder.js';
import { compactChunk } from './compact-chunk.js';
import { decodeChunk, readChunkHeader } from './decode-chunk.js';
import { ChunkCorruptError, ChunkOrderError } from './chunk-corrupt-error.js';
import { MAX_TIMESTAMP_MS } from './chunk-format.js';
import { HI_WORD, LO_WORD } from './float-bits.js';

/** A sample with its value as a raw bit pattern, so NaN payloads are generated too. */
interface BitSample {
  ts: number;
  hi: number;
  lo: number;
}

function encodeBits(samples: readonly BitSample[]): Uint8Array {
  const enc = new ChunkEncoder();
  for (const s of samples) enc.appendBits(s.ts, s.hi, s.lo);
  return enc.finish();
}

/** Bit-exact round trip through the streaming encoder and through `compactChunk`. */
function assertRoundTrip(samples: readonly BitSample[]): void {
  const streamed = encodeBits(samples);
  const first = decodeChunk(streamed);
  assertSame(first.ts, first.values, samples);
  const compact = compactChunk(first.ts, first.values);
  assert.ok(compact.length <= streamed.length, 'compactChunk never grows a chunk');
  const second = decodeChunk(compact);
  assertSame(second.ts, second.values, samples);
}

function assertSame(ts: Float64Array, values: Float64Array, samples: readonly BitSample[]): void {
  const words = new Uint32Array(values.buffer);
  assert.equal(ts.length, samples.length);
  samples.forEach((s, i) => {
    assert.equal(ts[i], s.ts, `ts ${i}`);
    assert.equal(words[i * 2 + HI_WORD], s.hi >>> 0, `hi ${i}`);
    assert.equal(words[i * 2 + LO_WORD], s.lo >>> 0, `lo ${i}`);
  });
}

/** Strictly increasing timestamps from a start and positive deltas, capped below 2^52. */
function timestamps(start: number, deltas: readonly number[]): number[] {
  const out: number[] = [];
  let t = start;
  for (const d of deltas) {
    out.push(t);
    t += d;
  }
  return out.filter((x) => x <= MAX_TIMESTAMP_MS);
}

const word = fc.integer({ min: 0, max: 0xffffffff });
const bitValue = fc.record({ hi: word, lo: word });
const extremeFloat = fc.constantFrom(0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53, 1e-300, 0.1);
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const floatAsBits = (v: number) => {
  scratch[0] = v;
  return { hi: scratchWords[HI_WORD]!, lo: scratchWords[LO_WORD]! };
};

const deltaArb = fc.oneof(
  fc.constant(1000),
  fc.integer({ min: 995, max: 1005 }),
  fc.integer({ min: 1, max: 70_000 }),
  fc.integer({ min: 1, max: 2 ** 40 }),
);
const decimalArb = fc.tuple(fc.integer({ min: -(2 ** 49), max: 2 ** 49 }), fc.integer({ min: 0, max: 9 })).map(([k, s]) => floatAsBits(k / 10 ** s));
const valueArb = fc.oneof(bitValue, extremeFloat.map(floatAsBits), fc.double().map(floatAsBits), fc.integer().map(floatAsBits), decimalArb);

test('round trip: counter-like and decimal series take the integer codings', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 9 }),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      fc.array(fc.integer({ min: -1000, max: 100_000 }), { minLength: 1, maxLength: 200 }),
      (scale, k0, steps) => {
        let k = k0;
        const samples = steps.map((d, i) => {
          k += d;
          return { ts: 1_000_000 + i * 15_000 + (d % 3), ...floatAsBits(k / 10 ** scale) };
        });
        assertRoundTrip(samples);
      },
    ),
    { numRuns: 300 },
  );
});

test('round trip: random timestamps and arbitrary 64-bit values (NaN payloads included)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.array(fc.tuple(deltaArb, valueArb), { minLength: 1, maxLength: 300 }), (start, items) => {
      const ts = timestamps(start, items.map(([d]) => d));
      assertRoundTrip(ts.map((t, i) => ({ ts: t, ...items[i]![1] })));
    }),
    { numRuns: 400 },
  );
});

test('round trip: adversarial series', () => {
  const start = 1_763_800_000_000;
  const cases: Record<string, BitSample[]> = {
    constant: Array.from({ length: 120 }, (_, i) => ({ ts: start + i * 1000, ...floatAsBits(42) })),
    single: [{ ts: 0, ...floatAsBits(-0) }],
    hugeDeltas: [0, 1, 2 ** 51, 2 ** 51 + 1, MAX_TIMESTAMP_MS].map((ts, i) => ({ ts, ...floatAsBits(i) })),
    alternatingGaps: Array.from({ length: 200 }, (_, i) => ({ ts: start + i * 1000 + (i % 2) * 999, ...floatAsBits(i % 3) })),
    extremes: [0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE].map((v, i) => ({ ts: start + i, ...floatAsBits(v) })),
    nanPayloads: [0x7ff80000, 0x7ff00001, 0xfff12345, 0x7fffffff].map((hi, i) => ({ ts: start + i * 7, hi, lo: i * 0x1234567 })),
    minusZeroAmongIntegers: [1, 2, -0, 3].map((v, i) => ({ ts: 1000 * i, ...floatAsBits(v) })),
    bigIntegers: [2 ** 50 - 1, -(2 ** 50) + 1, 2 ** 50, 2 ** 53].map((v, i) => ({ ts: 1000 * i, ...floatAsBits(v) })),
    manyDecimals: [0.1 + 0.2, 1 / 3, 0.000532768].map((v, i) => ({ ts: 1000 * i, ...floatAsBits(v) })),
    allBitsFlip: Array.from({ length: 64 }, (_, i) => ({ ts: start + i, hi: i % 2 ? 0xffffffff : 0, lo: i % 2 ? 0xffffffff : 0 })),
  };
  for (const [name, samples] of Object.entries(cases)) {
    try {
      assertRoundTrip(samples);
    } catch (err) {
      assert.fail(`${name}: ${(err as Error).message}`);
    }
  }
});

test('jittery 1 s series with a slowly changing gauge stays small', () => {
  const enc = new ChunkEncoder();
  let t = 1_763_800_000_000;
  for (let i = 0; i < 120; i++) {
    t += 1000 + ((i * 7) % 5) - 2;
    enc.append(t, i < 100 ? 3 : 4);
  }
  // 120 timestamps at ~9 bits plus mostly-unchanged values: well under 2 bytes/sample.
  assert.ok(enc.finish().length < 200);
});

test('encoder rejects timestamps that are not strictly increasing or out of range', () => {
  const enc = new ChunkEncoder();
  enc.append(1000, 1);
  assert.throws(() => enc.append(1000, 2), ChunkOrderError);
  assert.throws(() => enc.append(999, 2), ChunkOrderError);
  assert.throws(() => enc.append(1000.5, 2), ChunkOrderError);
  assert.throws(() => new ChunkEncoder().append(-1, 2), ChunkOrderError);
  assert.throws(() => new ChunkEncoder().append(2 ** 52, 2), ChunkOrderError);
  assert.throws(() => new ChunkEncoder().finish(), ChunkOrderError);
  // The rejected appends left the encoder intact.
  enc.append(2000, 3);
  assert.deepEqual([...decodeChunk(enc.finish()).ts], [1000, 2000]);
});

test('finish() snapshots an open chunk and appending continues', () => {
  const enc = new ChunkEncoder();
  enc.append(10, 1.5);
  const first = enc.finish();
  enc.append(20, 2.5);
  assert.deepEqual([...decodeChunk(first).values], [1.5]);
  assert.deepEqual([...decodeChunk(enc.finish()).values], [1.5, 2.5]);
  assert.equal(enc.byteLength, enc.finish().length);
});

test('golden: a fixed series encodes to a fixed byte sequence', () => {
  const enc = new ChunkEncoder();
  const samples: [number, number][] = [
    [1_700_000_000_000, 0.5],
    [1_700_000_001_000, 0.5],
    [1_700_000_002_003, 0.75],
    [1_700_000_003_001, 12],
    [1_700_000_063_001, -0],
    [1_700_000_064_001, NaN],
  ];
  for (const [t, v] of samples) enc.append(t, v);
  const hex = Buffer.from(enc.finish()).toString('hex');
  assert.equal(hex, GOLDEN_HEX);
  const out = decodeChunk(Buffer.from(GOLDEN_HEX, 'hex'));
  assert.deepEqual([...out.ts], samples.map(([t]) => t));
  assert.deepEqual([...out.values], samples.map(([, v]) => v));
  assert.ok(Object.is(out.values[4], -0));
});
// Checked by hand: 01 version, 00 flags (dod timestamps, XOR values), 06 count,
// 80d095ffbc31 = uvarint 1700000000000, 0b = 11-byte timestamp section starting e9f3 =
// `1110` + 13-bit (1000 + 4095), …; value section 3fe0… = 0.5 raw, then XOR codes; CRC last.
const GOLDEN_HEX = '01000680d095ffbc310be9f3db3af4733cf9c661c03fe00000000000006c07849ffe03700b7ffcffdb9908';

test('golden: compactChunk picks nominal timestamps and integer deltas for a jittered counter', () => {
  const ts = new Float64Array([0, 1000, 2001, 2999, 4000, 5001, 6000, 7002, 8000].map((d) => 1_700_000_000_000 + d));
  const values = new Float64Array([1000, 1010, 1020, 1031, 1041, 1051, 1061, 1071, 1081]);
  const bytes = compactChunk(ts, values);
  // 01 version, 42 flags (nominal timestamps, integer delta-of-deltas, scale 0), 09 count, ts0,
  // e907 = nominal 1001 (the median interval), 04 = 4-byte timestamp section of residuals
  // -1 0 -3 0 0 -2 1 -3 (`10`+3 bits or `0`), then the value section and the CRC.
  assert.equal(Buffer.from(bytes).toString('hex'), COMPACT_GOLDEN_HEX);
  const out = decodeChunk(bytes);
  assert.deepEqual([...out.ts], [...ts]);
  assert.deepEqual([...out.values], [...values]);
});
const COMPACT_GOLDEN_HEX = '01420980d095ffbc31e9070492046900e9f3e92a4800704b09d9';

test('arbitrary bytes give ChunkCorruptError or a valid decode, nothing else', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      try {
        const out = decodeChunk(bytes);
        assert.equal(out.ts.length, out.values.length);
      } catch (err) {
        assert.ok(err instanceof ChunkCorruptError, String(err));
      }
    }),
    { numRuns: 2000 },
  );
});

test('every truncation and every single-bit flip of a valid chunk is detected', () => {
  const enc = new ChunkEncoder();
  for (let i = 0; i < 50; i++) enc.append(1_000_000 + i * 1000 + (i % 3), Math.sin(i));
  const good = enc.finish();
  for (let len = 0; len < good.length; len++) {
    assert.throws(() => decodeChunk(good.subarray(0, len)), ChunkCorruptError, `truncated to ${len}`);
  }
  for (let bit = 0; bit < good.length * 8; bit++) {
    const bad = good.slice();
    bad[bit >>> 3]! ^= 0x80 >>> (bit & 7);
    assert.throws(() => decodeChunk(bad), ChunkCorruptError, `bit ${bit} flipped`);
  }
});

test('a valid checksum over an impossible body is still a typed error (crafted input)', () => {
  // Re-sign corrupted bodies so the CRC passes and the structural checks must catch them.
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 11, maxLength: 200 }), (body) => {
      const bytes = new Uint8Array(body.length + 4);
      bytes.set(body);
      bytes[0] = 1;
      new DataView(bytes.buffer).setUint32(body.length, crc32(bytes.subarray(0, body.length)));
      try {
        const out = decodeChunk(bytes);
        for (let i = 1; i < out.ts.length; i++) assert.ok(out.ts[i]! > out.ts[i - 1]!);
      } catch (err) {
        assert.ok(err instanceof ChunkCorruptError, String(err));
      }
    }),
    { numRuns: 3000 },
  );
  assert.throws(() => readChunkHeader(new Uint8Array(3)), ChunkCorruptError);
});
