import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogTail } from './log-tail.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tail-'));
  const path = join(dir, 'auth.log');
  const statePath = join(dir, 'state', 'position.json');
  return { dir, path, statePath, open: (startAt: 'end' | 'beginning' = 'end') => new LogTail({ path, statePath, startAt }), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('starts at the end, hands out complete lines once, waits for a partial line', () => {
  const s = setup();
  try {
    writeFileSync(s.path, 'old 1\nold 2\n');
    const t = s.open();
    t.establish();
    assert.deepEqual(t.read(), []);
    appendFileSync(s.path, 'new 1\nnew 2\npart');
    assert.deepEqual(t.read(), ['new 1', 'new 2']);
    assert.deepEqual(t.read(), []);
    appendFileSync(s.path, 'ial\n');
    assert.deepEqual(t.read(), ['partial']);
  } finally {
    s.cleanup();
  }
});

test('startAt beginning reads the history; a file created after start is read from its start', () => {
  const s = setup();
  try {
    writeFileSync(s.path, 'a\nb\n');
    const t = s.open('beginning');
    t.establish();
    assert.deepEqual(t.read(), ['a', 'b']);
    rmSync(s.path);
    const u = new LogTail({ path: s.path, statePath: join(s.dir, 'other.json') });
    u.establish();
    assert.deepEqual(u.read(), []);
    writeFileSync(s.path, 'c\n');
    assert.deepEqual(u.read(), ['c']);
  } finally {
    s.cleanup();
  }
});

test('the committed position survives a restart; uncommitted lines are read again (at least once)', () => {
  const s = setup();
  try {
    writeFileSync(s.path, '');
    const t = s.open();
    t.establish();
    appendFileSync(s.path, 'one\n');
    assert.deepEqual(t.read(), ['one']);
    t.commit();
    appendFileSync(s.path, 'two\n');
    assert.deepEqual(t.read(), ['two']);
    // Crash before the commit of "two": the next agent reads it again, and never "one".
    const again = s.open();
    again.establish();
    assert.deepEqual(again.read(), ['two']);
    again.commit();
    assert.deepEqual(s.open().read(), []);
  } finally {
    s.cleanup();
  }
});

test('rotation by rename: the rest of the old file, then the new file from its start', () => {
  const s = setup();
  try {
    writeFileSync(s.path, 'before\n');
    const t = s.open();
    t.establish();
    appendFileSync(s.path, 'late 1\n');
    renameSync(s.path, `${s.path}.1`);
    appendFileSync(`${s.path}.1`, 'late 2\n');
    assert.deepEqual(t.read(), ['late 1', 'late 2'], 'missing new file: the rotated one is drained');
    writeFileSync(s.path, 'fresh 1\n');
    appendFileSync(`${s.path}.1`, 'very late\n');
    assert.deepEqual(t.read(), ['very late', 'fresh 1']);
    t.commit();
    // Rotated again while the agent was down (RHEL dateext name).
    appendFileSync(s.path, 'fresh 2\n');
    renameSync(s.path, join(s.dir, 'auth.log-20261206'));
    writeFileSync(s.path, 'newest\n');
    const after = s.open();
    after.establish();
    assert.deepEqual(after.read(), ['fresh 2', 'newest']);
  } finally {
    s.cleanup();
  }
});

test('copytruncate: a file shorter than the offset is read again from 0', () => {
  const s = setup();
  try {
    writeFileSync(s.path, 'x'.repeat(100) + '\n');
    const t = s.open();
    t.establish();
    truncateSync(s.path, 0);
    appendFileSync(s.path, 'after truncate\n');
    assert.deepEqual(t.read(), ['after truncate']);
  } finally {
    s.cleanup();
  }
});

test('reads are bounded; a line longer than a whole read is skipped instead of stalling', () => {
  const s = setup();
  try {
    writeFileSync(s.path, '');
    const t = new LogTail({ path: s.path, statePath: s.statePath, maxReadBytes: 16 });
    t.establish();
    appendFileSync(s.path, 'aaaa\nbbbb\ncccc\ndddd\n');
    assert.deepEqual(t.read(), ['aaaa', 'bbbb', 'cccc']);
    assert.deepEqual(t.read(), ['dddd']);
    appendFileSync(s.path, `${'z'.repeat(40)}\nok\n`);
    const got: string[] = [];
    for (let i = 0; i < 5; i++) got.push(...t.read());
    assert.deepEqual(got.filter((l) => !l.startsWith('z')), ['ok']);
  } finally {
    s.cleanup();
  }
});
