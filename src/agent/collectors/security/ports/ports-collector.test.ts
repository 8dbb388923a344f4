import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FixtureHost } from '../../../testing/fixture-host.js';
import { sanitizeEvents } from '../../../sanitize-events.js';
import { parseProcNet } from './parse-proc-net.js';
import { portsCollectorFactory } from './ports-collector.js';

const NET = new URL('../../testdata/security/proc-net/', import.meta.url).pathname;

test('parses the captured tables: LISTEN tcp, bound udp, IPv6 in RFC 5952 form; connected sockets are left out', () => {
  const tcp = parseProcNet(readFileSync(join(NET, 'tcp'), 'utf8'), 'tcp');
  assert.equal(tcp.length, 8);
  assert.deepEqual(tcp[0], { proto: 'tcp', address: '127.0.0.1', port: 1883, inode: 6309, uid: 105 });
  const tcp6 = parseProcNet(readFileSync(join(NET, 'tcp6'), 'utf8'), 'tcp6');
  assert.deepEqual(tcp6.map((s) => `${s.address}:${s.port}`), ['::1:6379', '::1:4369']);
  assert.deepEqual(parseProcNet(readFileSync(join(NET, 'udp'), 'utf8'), 'udp'), [{ proto: 'udp', address: '0.0.0.0', port: 47142, inode: 23057, uid: 0 }]);
  assert.deepEqual(parseProcNet(readFileSync(join(NET, 'udp6'), 'utf8'), 'udp6'), [{ proto: 'udp6', address: '::', port: 58825, inode: 23058, uid: 0 }]);
  const mapped = '   0: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 999 1';
  assert.equal(parseProcNet(mapped, 'tcp6')[0]?.address, '::ffff:127.0.0.1');
});

test('property: the parser never throws on arbitrary tables', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.constant('   1: 0100007F:1F90 00000000:0000 0A 0:0 0:0 0 0 0 123 1')), { maxLength: 20 }), fc.constantFrom('tcp', 'tcp6', 'udp', 'udp6' as const), (lines, proto) => {
      for (const s of parseProcNet(lines.join('\n'), proto)) assert.ok(s.port >= 0 && s.port <= 65535);
    }),
  );
});

test('first scan is a persisted baseline; later scans report opened ports with their owner and closed ones', async () => {
  const host = new FixtureHost();
  try {
    const proc = join(host.dir, 'proc');
    mkdirSync(join(proc, 'net'), { recursive: true });
    cpSync(NET, join(proc, 'net'), { recursive: true });
    const ctx = host.ctx();
    const factory = portsCollectorFactory(1000);
    assert.equal(factory.unavailableReason(ctx), null);
    const c = factory.create(ctx);
    await c.init(ctx);
    assert.deepEqual((await c.collect(0)).events, []);
    // A process (pid 4242, "nc") starts listening on 0.0.0.0:4444; the UDP socket goes away.
    writeFileSync(join(proc, 'net/tcp'), `${readFileSync(join(NET, 'tcp'), 'utf8')}  16: 00000000:115C 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77001 1 0000000000000000 100 0 0 10 0\n`);
    writeFileSync(join(proc, 'net/udp'), readFileSync(join(NET, 'udp'), 'utf8').split('\n')[0] + '\n');
    mkdirSync(join(proc, '4242/fd'), { recursive: true });
    writeFileSync(join(proc, '4242/comm'), 'nc\n');
    symlinkSync('/dev/null', join(proc, '4242/fd/0'));
    symlinkSync('socket:[77001]', join(proc, '4242/fd/3'));
    symlinkSync('/usr/bin/nc.openbsd', join(proc, '4242/exe'));
    assert.deepEqual((await c.collect(500)).events, undefined, 'not before the scan interval');
    const r = await c.collect(1000);
    const events = r.events ?? [];
    assert.deepEqual(sanitizeEvents(events).reasons, []);
    assert.deepEqual(events.map((e) => [e.event_type, e.severity, e.description]), [
      ['port_opened', 'medium', 'New listening port tcp 0.0.0.0:4444 by nc (pid 4242)'],
      ['port_closed', 'low', 'Listening port closed: udp 0.0.0.0:47142'],
    ]);
    assert.deepEqual(events[0]?.metadata, { proto: 'tcp', address: '0.0.0.0', port: 4444, uid: 0, pid: 4242, process: 'nc', exe: '/usr/bin/nc.openbsd' });
    assert.deepEqual(r.series[0]?.points, [[1000, 12]], "8 + 1 tcp, 2 tcp6, 1 udp6");
    // A restarted agent neither repeats the baseline nor the change.
    const again = factory.create(ctx);
    await again.init(ctx);
    assert.deepEqual((await again.collect(5000)).events, []);
  } finally {
    host.cleanup();
  }
});
