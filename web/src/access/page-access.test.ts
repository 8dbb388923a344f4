import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canOpen } from './page-access.js';

describe('canOpen', () => {
  it('opens pages without a permission to everyone and guarded pages to holders only', () => {
    const viewer = { permissions: ['read:overview', 'read:metrics'] };
    const admin = { permissions: ['read:overview', 'read:users', 'read:audit'] };
    assert.equal(canOpen({}, viewer), true);
    assert.equal(canOpen({ permission: 'read:users' }, viewer), false);
    assert.equal(canOpen({ permission: 'read:users' }, admin), true);
    assert.equal(canOpen({ permission: 'read:audit' }, { permissions: [] }), false);
  });
});
