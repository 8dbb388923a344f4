import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseAuthLine } from './parse-auth-line.js';

const TESTDATA = new URL('../../testdata/security/', import.meta.url).pathname;
const NOW = Date.parse('2026-12-06T02:00:00Z');
const lines = (name: string) => readFileSync(`${TESTDATA}${name}`, 'utf8').trimEnd().split('\n');

test('brute-force fixture: every sshd failure and invalid user from the attacker, the accepted login, nothing else', () => {
  const found = lines('auth-bruteforce.log').map((l) => parseAuthLine(l, NOW)).filter((f) => f !== null);
  const kinds = found.map((f) => `${f.kind}:${f.user}:${f.srcIp}`);
  assert.deepEqual(kinds, [
    'ssh_invalid_user:admin:203.0.113.45',
    'ssh_failed:admin:203.0.113.45',
    'ssh_failed:root:203.0.113.45',
    'ssh_failed:root:203.0.113.45',
    'ssh_failed:root:203.0.113.45',
    'ssh_invalid_user:ubuntu:203.0.113.45',
    'ssh_failed:ubuntu:203.0.113.45',
    'ssh_invalid_user:oracle:203.0.113.45',
    'ssh_failed:oracle:203.0.113.45',
    'ssh_failed:oracle:203.0.113.45',
    'ssh_accepted:deploy:198.51.100.7',
    'ssh_failed:root:203.0.113.45',
    'ssh_failed:root:203.0.113.45',
  ]);
  const first = found[1];
  assert.deepEqual(first, { kind: 'ssh_failed', method: 'password', user: 'admin', srcIp: '203.0.113.45', port: 40112, invalidUser: true, ts: Date.parse('2026-12-05T21:14:06.892113Z'), program: 'sshd', pid: 48213, host: 'web-1', count: 1 });
  const failures = found.filter((f) => f.kind === 'ssh_failed');
  assert.equal(failures.length, 9);
  const span = (failures.at(-1)?.ts ?? 0) - (failures[0]?.ts ?? 0);
  assert.ok(span < 120_000, `burst spans ${span} ms`);
});

test('sudo failures, repeated lines, IPv6 and public keys (Debian 12 format)', () => {
  const found = lines('auth-debian12.log').map((l) => parseAuthLine(l, NOW));
  assert.deepEqual(found[0], { kind: 'sudo_auth_failure', method: 'sudo', user: 'alice', srcIp: null, port: null, invoker: 'alice', ts: Date.parse('2026-12-05T21:20:01.123456Z'), program: 'sudo', pid: null, host: 'web-1', count: 1 });
  assert.equal(found[1]?.kind, 'sudo_incorrect_password');
  assert.equal(found[1]?.attempts, 3);
  assert.equal(found[1]?.invoker, 'alice');
  assert.equal(found[1]?.user, 'root');
  assert.equal(found[1]?.command, '/usr/bin/cat /etc/shadow');
  assert.equal(found[2]?.kind, 'sudo_not_allowed');
  assert.equal(found[2]?.invoker, 'bob');
  assert.equal(found[3], null, 'a successful sudo is not an auth event');
  assert.equal(found[4], null);
  assert.equal(found[5]?.kind, 'ssh_accepted');
  assert.equal(found[5]?.method, 'password');
  assert.equal(found[6]?.kind, 'ssh_failed');
  assert.equal(found[6]?.method, 'publickey');
  assert.equal(found[7]?.srcIp, '2001:db8::5');
  assert.equal(found[7]?.method, 'keyboard-interactive/pam');
  assert.equal(found[8]?.count, 2);
  assert.equal(found[8]?.user, 'support');
  assert.equal(found[9], null);
});

test('BSD syslog stamps (RHEL secure): local time, year from the reading time, previous year across new year', () => {
  const found = lines('secure-rhel9.log').map((l) => parseAuthLine(l, NOW));
  assert.equal(found[0]?.kind, 'ssh_invalid_user');
  assert.equal(found[0]?.ts, new Date(2026, 11, 5, 21, 30, 11).getTime());
  assert.equal(found[0]?.host, 'db-2');
  assert.equal(found[3]?.user, 'postgres');
  assert.equal(found[4]?.kind, 'ssh_accepted');
  assert.equal(found[5]?.kind, 'sudo_auth_failure');
  assert.equal(found[5]?.pid, 3190);
  assert.equal(found[6]?.attempts, 1);
  const january = new Date(2027, 0, 1, 0, 5).getTime();
  assert.equal(parseAuthLine(lines('secure-rhel9.log')[0] as string, january)?.ts, new Date(2026, 11, 5, 21, 30, 11).getTime());
});

test('other programs and look-alike messages are not findings', () => {
  assert.equal(parseAuthLine('2026-12-05T21:14:02+00:00 web-1 evil[1]: Failed password for root from 1.2.3.4 port 22 ssh2', NOW), null);
  assert.equal(parseAuthLine('Failed password for root from 1.2.3.4 port 22 ssh2', NOW), null);
  assert.equal(parseAuthLine('', NOW), null);
  assert.equal(parseAuthLine(`2026-12-05T21:14:02+00:00 web-1 sshd[1]: ${'x'.repeat(5000)}`, NOW), null);
  assert.equal(parseAuthLine('2026-12-05T21:14:02+00:00 web-1 sshd[1]: message repeated 999999999 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]', NOW)?.count, 100);
});

test('property: never throws, and what it returns is well-formed, for arbitrary and near-miss lines', () => {
  const fragments = ['sshd[12]: ', 'sudo: ', 'Failed password for ', 'invalid user ', 'Accepted publickey for ', 'Invalid user ', ' from ', ' port ', '65536', '99999', 'ssh2', 'message repeated 3 times: [ ', ']', ' : ', '3 incorrect password attempts', ' ; ', 'USER=', 'COMMAND=', 'pam_unix(sudo:auth): authentication failure;', 'user=', '2026-12-05T21:14:02+00:00 h ', 'Dec  5 21:30:11 h ', 'Feb 31 99:99:99 h ', '\u0000', '\ud800', ' '];
  const nearMiss = fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })), { maxLength: 20 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), nearMiss), fc.integer({ min: 0, max: 4_000_000_000_000 }), (line, now) => {
      const f = parseAuthLine(line, now);
      if (f === null) return;
      assert.ok(f.count >= 1 && f.count <= 100);
      assert.ok(f.port === null || (Number.isInteger(f.port) && f.port >= 0 && f.port <= 65535));
      assert.ok(f.ts === null || Number.isFinite(f.ts));
    }),
    { numRuns: 3000 },
  );
});
