import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../core/clock.js';
import { openSqliteStorage } from '../storage/sqlite/open-sqlite-storage.js';
import { PasswordHasher } from './password-hasher.js';
import { UserService } from './user-service.js';

describe('UserService.bootstrapAdmin', () => {
  it('two replicas starting together on one database: one creates the admin, the other finds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bootstrap-'));
    const storage = await openSqliteStorage({ dataDir: dir, clock: systemClock });
    try {
      const hasher = new PasswordHasher({ logN: 10 });
      const replicas = [new UserService(storage.users, hasher, systemClock), new UserService(storage.users, hasher, systemClock)];
      const results = await Promise.all(replicas.map((u) => u.bootstrapAdmin('admin', 'bootstrap-long-passphrase')));
      assert.equal(results.filter((r) => r !== null).length, 1, 'exactly one replica created the admin');
      assert.equal(await storage.users.count(), 1);
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
