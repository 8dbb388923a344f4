import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { INITIAL_SLOT_BYTES, StateSlots } from './state-slots.js';

function withFile(fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slots-'));
  try {
    fn(join(dir, 'state.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a new file has no payload; the last write is read back after a reopen, whatever the number of writes', () => {
  withFile((path) => {
    const first = StateSlots.open(path);
    assert.deepEqual([first.payload, first.damaged], [null, false]);
    for (let i = 1; i <= 5; i++) first.slots.write(JSON.stringify({ i }));
    first.slots.close();
    const again = StateSlots.open(path);
    assert.equal(again.payload, '{"i":5}');
    again.slots.write('{"i":6}');
    again.slots.close();
    assert.equal(StateSlots.open(path).payload, '{"i":6}');
  });
});

test('a torn write of the newest slot falls back to the previous generation', () => {
  withFile((path) => {
    const { slots } = StateSlots.open(path);
    slots.write('{"gen":1}');
    slots.write('{"gen":2}');
    slots.close();
    // Generation 2 went to slot 0 (the slots alternate); damage one byte of its payload.
    const buf = readFileSync(path);
    buf[16 + 16 + 3] = (buf[16 + 16 + 3] as number) ^ 0xff;
    writeFileSync(path, buf);
    const r = StateSlots.open(path);
    assert.deepEqual([r.payload, r.damaged], ['{"gen":1}', false]);
    // Writing goes on above the generation that survived, into the damaged slot first.
    r.slots.write('{"gen":"next"}');
    r.slots.close();
    assert.equal(StateSlots.open(path).payload, '{"gen":"next"}');
  });
});

test('a payload bigger than a slot moves the file to bigger slots and keeps alternating there', () => {
  withFile((path) => {
    const { slots } = StateSlots.open(path);
    slots.write('{"small":true}');
    const big = JSON.stringify({ skipped: Array.from({ length: 2000 }, (_, i) => [i * 10, i * 10 + 5]) });
    assert.ok(big.length > INITIAL_SLOT_BYTES);
    slots.write(big);
    assert.ok(statSync(path).size > 2 * big.length);
    slots.write(`${big.slice(0, -1)},"more":1}`);
    slots.close();
    assert.equal(StateSlots.open(path).payload, `${big.slice(0, -1)},"more":1}`);
  });
});

test('empty, truncated or foreign files are reported as damaged (never thrown) and start over', () => {
  withFile((path) => {
    for (const content of [Buffer.alloc(0), Buffer.from('{"version":1}'), Buffer.alloc(100, 0xff)]) {
      writeFileSync(path, content);
      const r = StateSlots.open(path);
      assert.equal(r.payload, null);
      assert.equal(r.damaged, true);
      r.slots.write('{"ok":1}');
      r.slots.close();
      assert.equal(StateSlots.open(path).payload, '{"ok":1}');
    }
  });
});

test('property: any corruption of the file yields one of the payloads written, or none, never a wrong one', () => {
  withFile((path) => {
    const { slots } = StateSlots.open(path);
    slots.write('{"a":1}');
    slots.write('{"b":2}');
    slots.close();
    const good = readFileSync(path);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.option(fc.nat(good.length)), (flips, cut) => {
        const buf = Buffer.from(good);
        for (const [at, x] of flips) buf[at] = (buf[at] as number) ^ x;
        writeFileSync(path, cut === null ? buf : buf.subarray(0, cut));
        const r = StateSlots.open(path);
        r.slots.close();
        assert.ok(r.payload === null || r.payload === '{"a":1}' || r.payload === '{"b":2}', String(r.payload));
      }),
      { numRuns: 200 },
    );
  });
});
