import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildPath, matchRoute } from './route-pattern.js';

test('matchRoute captures and decodes params', () => {
  assert.deepEqual(matchRoute('/', '/'), {});
  assert.deepEqual(matchRoute('/explore', '/explore/'), {});
  assert.deepEqual(matchRoute('/hosts/:id', '/hosts/web-1'), { id: 'web-1' });
  assert.deepEqual(matchRoute('/hosts/:id', '/hosts/a%2Fb%20c'), { id: 'a/b c' });
  assert.equal(matchRoute('/hosts/:id', '/hosts'), null);
  assert.equal(matchRoute('/hosts/:id', '/hosts/'), null);
  assert.equal(matchRoute('/hosts/:id', '/hosts/a/b'), null);
  assert.equal(matchRoute('/hosts/:id', '/hosts/%E0%A4%A'), null, 'malformed escapes do not throw');
  assert.equal(matchRoute('/', '/explore'), null);
});

test('buildPath refuses a missing parameter', () => {
  assert.equal(buildPath('/hosts/:id', { id: '7' }), '/hosts/7');
  assert.throws(() => buildPath('/hosts/:id', {}), RangeError);
});

test('property: buildPath and matchRoute round-trip any non-empty parameter', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ minLength: 1 }), (a, b) => {
      const pattern = '/x/:a/y/:b';
      let path: string;
      try {
        path = buildPath(pattern, { a, b });
      } catch (e) {
        // encodeURIComponent rejects lone surrogates; that is the only allowed failure.
        assert.ok(e instanceof URIError);
        return;
      }
      assert.deepEqual(matchRoute(pattern, path), { a, b });
    }),
  );
});

test('property: matchRoute never throws on arbitrary paths', () => {
  fc.assert(
    fc.property(fc.string(), (path) => {
      const r = matchRoute('/hosts/:id', path);
      assert.ok(r === null || typeof r.id === 'string');
    }),
  );
});
