import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isPostgresUrl, redactDatabaseUrl } from './database-url.js';

describe('database URL helpers', () => {
  it('recognises postgres:// and postgresql:// only', () => {
    assert.equal(isPostgresUrl('postgres://h/db'), true);
    assert.equal(isPostgresUrl('PostgreSQL://h/db'), true);
    assert.equal(isPostgresUrl('sqlite:./data/vigil.db'), false);
    assert.equal(isPostgresUrl('mysql://h/db'), false);
  });

  it('hides the password in the user part and in a password= parameter', () => {
    assert.equal(redactDatabaseUrl('postgres://vigil:s3cret@db:5432/vigil'), 'postgres://vigil:***@db:5432/vigil');
    assert.equal(redactDatabaseUrl('postgres://vigil@db/vigil?password=s3cret&sslmode=require'), 'postgres://vigil@db/vigil?password=***&sslmode=require');
    assert.equal(redactDatabaseUrl('postgres://db/vigil'), 'postgres://db/vigil');
    assert.equal(redactDatabaseUrl('postgres://a:b@[::1'), 'postgres://***');
  });

  it('property: the password never appears in the redacted URL', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 20 }).filter((p) => /^[A-Za-z0-9!$&()*+,;=._~-]+$/.test(p) && !'postgres://vigil@db:5432/vigil?sslmode=require***'.includes(p)), (password) => {
        const url = `postgres://vigil:${encodeURIComponent(password)}@db:5432/vigil?sslmode=require`;
        const shown = redactDatabaseUrl(url);
        assert.ok(!shown.includes(password) && !shown.includes(encodeURIComponent(password)), shown);
      }),
      { numRuns: 300 },
    );
  });
});
