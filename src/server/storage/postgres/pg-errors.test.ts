import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VigilError } from '../../core/errors.js';
import { isUniqueViolation } from '../sql/unique-violation.js';
import { mapPgError } from './pg-errors.js';

const code = (err: unknown) => (err instanceof VigilError ? err.code : 'passthrough');

describe('mapPgError', () => {
  it('maps unreachable, terminated, timed-out and contended work to a retryable 503', () => {
    for (const e of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      Object.assign(new Error('could not serialize access'), { code: '40001' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      const mapped = mapPgError(e);
      assert.equal(code(mapped), 'VIGIL_ERR_STORAGE_UNAVAILABLE', e.message);
      assert.ok((mapped as VigilError).retryAfterSeconds! > 0);
    }
  });

  it('maps a full disk to storage-full and keeps constraint violations as they are', () => {
    assert.equal(code(mapPgError(Object.assign(new Error('could not extend file'), { code: '53100' }))), 'VIGIL_ERR_STORAGE_FULL');
    const unique = Object.assign(new Error('duplicate key value'), { code: '23505' });
    assert.equal(mapPgError(unique), unique);
    assert.equal(isUniqueViolation(mapPgError(unique)), true);
    const syntax = Object.assign(new Error('syntax error'), { code: '42601' });
    assert.equal(mapPgError(syntax), syntax);
  });
});
