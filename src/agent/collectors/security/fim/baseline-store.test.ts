import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FileRecord } from './file-record.js';
import { BaselineStore, packRecord, unpackRecord } from './baseline-store.js';

const record: fc.Arbitrary<FileRecord> = fc
  .record({
    type: fc.constantFrom('file', 'dir', 'symlink', 'other' as const),
    size: fc.nat(),
    mode: fc.constantFrom('100644', '100755', '40755', '120777'),
    uid: fc.nat(65535),
    gid: fc.nat(65535),
    mtimeMs: fc.double({ min: 0, max: 4e12, noNaN: true }),
    ctimeMs: fc.double({ min: 0, max: 4e12, noNaN: true }),
    ino: fc.nat(),
    sha256: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null }),
    hashSkipped: fc.option(fc.constantFrom('too_large', 'unreadable' as const), { nil: undefined }),
    // Any text but NUL, which no path or link target contains.
    target: fc.option(fc.string({ minLength: 1, unit: 'binary' }).map((t) => t.replace(/\0/g, '')).filter((t) => t.length > 0), { nil: undefined }),
  })
  .map((r) => {
    const out: FileRecord = { type: r.type, size: r.size, mode: r.mode, uid: r.uid, gid: r.gid, mtimeMs: r.mtimeMs, ctimeMs: r.ctimeMs, ino: r.ino, sha256: r.sha256 };
    if (r.hashSkipped) out.hashSkipped = r.hashSkipped;
    if (r.target !== undefined) out.target = r.target;
    return out;
  });

test('property: a packed record unpacks to the same record (fractional times, missing hash, link targets)', () => {
  fc.assert(fc.property(record, (r) => assert.deepEqual(unpackRecord(packRecord(r)), r)));
});

test('property: the JSON pieces are the baseline.json of the records, in order, whatever the piece size', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }).map((p) => `/${p.replace(/\0/g, '')}`), record), { selector: ([p]) => p, maxLength: 30 }), fc.integer({ min: 1, max: 500 }), (entries, pieceChars) => {
      const store = new BaselineStore();
      for (const [p, r] of entries) store.set(p, r);
      assert.equal(store.size, entries.length);
      const text = [...store.jsonPieces(pieceChars)].join('');
      assert.deepEqual(JSON.parse(text), { version: 1, files: Object.fromEntries(entries) });
      assert.deepEqual([...BaselineStore.fromObject(JSON.parse(text).files).entries()], entries);
    }),
  );
});

test('get, has, delete and a missing path', () => {
  const store = new BaselineStore();
  const r: FileRecord = { type: 'symlink', size: 7, mode: '120777', uid: 0, gid: 0, mtimeMs: 1.5, ctimeMs: 2.25, ino: 9, sha256: null, target: 'busybox' };
  store.set('/usr/bin/sh', r);
  assert.deepEqual(store.get('/usr/bin/sh'), r);
  assert.equal(store.get('/usr/bin/nope'), undefined);
  store.delete('/usr/bin/sh');
  assert.equal(store.has('/usr/bin/sh'), false);
});
