import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeRecord, encodeRecord, scanSegment, type SpoolRecordData } from './spool-record.js';

const record: fc.Arbitrary<SpoolRecordData> = fc.record({
  seq: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  createdAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  samples: fc.nat({ max: 0xffffffff }),
  items: fc.nat({ max: 0xffffffff }),
  body: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
}).map((r) => ({ ...r }));

test('property: records round-trip through encode/decode and a segment scan', () => {
  fc.assert(
    fc.property(fc.array(record, { maxLength: 10 }), (records) => {
      const buf = Buffer.concat(records.map(encodeRecord));
      const scan = scanSegment(buf);
      assert.deepEqual(scan.damaged, []);
      assert.deepEqual(scan.records.map((r) => r.record), records);
      for (const r of scan.records) {
        const d = decodeRecord(buf, r.offset);
        assert.ok(d.ok && d.size === r.size);
      }
    }),
  );
});

test('property: scanning arbitrary or damaged bytes never throws and never invents a record', () => {
  fc.assert(
    fc.property(fc.array(record, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.uint8Array({ maxLength: 64 }), (records, flips, junk) => {
      const buf = Buffer.concat([...records.map(encodeRecord), Buffer.from(junk)]);
      for (const [pos, byte] of flips) buf[pos % buf.length] = byte;
      const scan = scanSegment(buf);
      const originals = new Set(records.map((r) => JSON.stringify({ ...r, body: r.body.toString('hex') })));
      for (const r of scan.records) assert.ok(originals.has(JSON.stringify({ ...r.record, body: r.record.body.toString('hex') })), 'a scanned record must be one that was written');
      let covered = 0;
      for (const r of scan.records) covered += r.size;
      for (const d of scan.damaged) covered += d.end - d.start;
      assert.equal(covered, buf.length, 'records and damaged regions tile the file');
    }),
    { numRuns: 500 },
  );
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => void scanSegment(Buffer.from(bytes))));
});
