import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { safeNextPath } from './safe-next-path.js';

test('safeNextPath allows same-origin paths only', () => {
  assert.equal(safeNextPath('/hosts/a?range=1h'), '/hosts/a?range=1h');
  assert.equal(safeNextPath('/explore'), '/explore');
  for (const bad of [null, '', '//evil.com', '/\\evil.com', 'https://evil.com', 'javascript:alert(1)', '/a\nb', '/login', '/login?next=/x', 'evil.com']) {
    assert.equal(safeNextPath(bad), '/', String(bad));
  }
});

test('property: the result always resolves to the same origin', () => {
  fc.assert(
    fc.property(fc.string(), (raw) => {
      const out = safeNextPath(raw);
      const url = new URL(out, 'https://vigil.example/');
      assert.equal(url.origin, 'https://vigil.example');
    }),
  );
});
