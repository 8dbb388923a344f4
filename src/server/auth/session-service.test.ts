import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { MAX_SESSIONS_PER_USER } from './session-service.js';

describe('SessionService', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  it(`keeps at most ${MAX_SESSIONS_PER_USER} sessions per user, ending the least recently used`, async () => {
    const user = await t.services.deps.users.create('many', 'many-long-passphrase', 'viewer');
    const ids: string[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 5; i++) {
      t.clock.advance(61_000);
      ids.push((await t.services.deps.sessions.create(user.id, { ip: null, userAgent: null })).id);
    }
    assert.equal((await t.storage.sessions.listForUser(user.id)).length, MAX_SESSIONS_PER_USER);
    assert.equal(await t.services.deps.sessions.validate(ids[0]!), null, 'the oldest ended');
    assert.ok(await t.services.deps.sessions.validate(ids.at(-1)!), 'the newest lives');
  });
});
