import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECURITY_EVENT_LIMITS } from '../../../protocol/security.js';
import { isValidSecurityEvent } from '../../sanitize-events.js';
import { boundMetadata, securityEvent } from './security-event.js';

test('events get a fresh UUID, an integer ts and a description within the limit', () => {
  const a = securityEvent({ type: 'auth_failure', severity: 'medium', ts: 1.7e12 + 0.4, source: 'auth-log', description: 'x'.repeat(5000), mitre: 'T1110.001', correlationId: 'c'.repeat(300) });
  const b = securityEvent({ type: 'auth_failure', severity: 'medium', ts: 1.7e12, source: 'auth-log', description: 'y' });
  assert.notEqual(a.event_id, b.event_id);
  assert.equal(a.ts, 1.7e12);
  assert.equal(a.description.length, SECURITY_EVENT_LIMITS.maxDescription);
  assert.equal(a.correlation_id?.length, 200);
  assert.ok(isValidSecurityEvent(a) && isValidSecurityEvent(b));
});

test('metadata over 8 KiB is shrunk: long strings cut first, else replaced by a note; small metadata is kept as is', () => {
  const small = { path: '/etc/passwd', size: 1 };
  assert.equal(boundMetadata(small), small);
  const cut = boundMetadata({ command: 'a'.repeat(20_000), user: 'root' });
  assert.equal((cut.command as string).length, 257);
  assert.equal(cut.user, 'root');
  const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'.repeat(200)]));
  const note = boundMetadata(many);
  assert.equal(note.truncated, true);
  assert.ok(Buffer.byteLength(JSON.stringify(note)) <= SECURITY_EVENT_LIMITS.maxMetadataBytes);
  assert.ok(isValidSecurityEvent(securityEvent({ type: 'file_changed', severity: 'high', ts: 1, source: 'fim', description: 'd', metadata: many })));
});
