/**
 * Property tests of the SSRF guard (reliability reference T25 (d) and security check 1): no
 * generated encoding of a non-public address ever gets a connection, whether it is written in
 * the URL or comes back from DNS. A fake resolver stands in for DNS, and every test asserts
 * that no socket reached the resolver's answer — nothing is ever sent off this machine.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import fc from 'fast-check';
import { forbiddenReason } from './address-policy.js';
import { DEFAULT_OUTBOUND_POLICY, OutboundError, OutboundHttp, type OutboundPolicy, type Resolver } from './outbound-http.js';

const RUNS = Number(process.env.VIGIL_PROPERTY_RUNS ?? 400);

/** Non-public IPv4 ranges as [first octets, prefix length]. */
const V4_RANGES: [number[], number][] = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 168], 16],
  [[198, 18], 15],
  [[224], 4],
  [[240], 4],
];

/** A random address inside one of {@link V4_RANGES}, as four octets. */
const privateV4 = fc.tuple(fc.constantFrom(...V4_RANGES), fc.integer({ min: 0, max: 0xffffffff })).map(([[first, prefix], rand]) => {
  const base = (first.concat([0, 0, 0, 0]).slice(0, 4).reduce((a, o) => a * 256 + o, 0)) >>> 0;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  const n = ((base & mask) | (rand & ~mask)) >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
});

const hex16 = (o: number[], i: number) => ((o[i]! << 8) | o[i + 1]!).toString(16);

/** Every way of writing an IPv4 address in a URL host that a parser or resolver may accept. */
const ENCODINGS: ((o: number[], r: number) => string)[] = [
  (o) => o.join('.'),
  (o) => String(((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!),
  (o) => `0x${(((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!).toString(16)}`,
  (o) => o.map((x) => `0${x.toString(8)}`).join('.'),
  (o) => o.map((x) => `0x${x.toString(16).padStart(2, '0')}`).join('.'),
  (o, r) => o.map((x, i) => ((r >> i) & 1 ? `0x${x.toString(16)}` : (r >> (i + 4)) & 1 ? `0${x.toString(8)}` : String(x))).join('.'),
  (o) => `${o[0]}.${(o[1]! << 16) + (o[2]! << 8) + o[3]!}`, // a.b (24-bit tail)
  (o) => `${o[0]}.${o[1]}.${(o[2]! << 8) + o[3]!}`, // a.b.c (16-bit tail)
  (o) => `${o.join('.')}.`, // trailing dot
  (o) => `[::ffff:${o.join('.')}]`,
  (o) => `[::ffff:${hex16(o, 0)}:${hex16(o, 2)}]`,
  (o) => `[0:0:0:0:0:FFFF:${o.join('.')}]`,
  (o) => `[0000:0000:0000:0000:0000:ffff:${hex16(o, 0).padStart(4, '0')}:${hex16(o, 2).padStart(4, '0')}]`,
  (o) => `[::${o.join('.')}]`, // IPv4-compatible (deprecated)
  (o) => `[::ffff:0:${o.join('.')}]`, // SIIT
  (o) => `[64:ff9b::${o.join('.')}]`, // NAT64
  (o) => `[64:ff9b:1::${hex16(o, 0)}:${hex16(o, 2)}]`, // local-use NAT64
  (o) => `[2002:${hex16(o, 0)}:${hex16(o, 2)}::1]`, // 6to4
  (o) => `[2001:0:4136:e378:8000:63bf:${(((o[0]! << 8) | o[1]!) ^ 0xffff).toString(16)}:${(((o[2]! << 8) | o[3]!) ^ 0xffff).toString(16)}]`, // Teredo
  (o) => o.map((x) => String(x).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))).join('.'), // full-width digits (IDNA maps them)
];

/** Non-public IPv6 addresses (not IPv4-embedding). */
const privateV6 = fc.tuple(
  fc.constantFrom('::1', '::', 'fe80::', 'fc00::', 'fd12:3456::', 'ff02::', 'fec0::', '2001:db8::', '100::', '3fff::'),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 2 }),
).map(([prefix, tail]) => {
  if (prefix === '::1' || prefix === '::') return prefix;
  const head = prefix.replace(/::$/, '');
  return `${head}:${'0:'.repeat(Math.max(0, 6 - head.split(':').length - tail.length + 1))}${tail.map((x) => x.toString(16)).join(':')}`.replace(/:+$/, '');
});

/** A resolver answering from a table and counting the connections it was asked for. */
function fakeDns(answers: (host: string) => string[]): { resolver: Resolver; asked: string[] } {
  const asked: string[] = [];
  const resolver: Resolver = (hostname, _family, cb) => {
    asked.push(hostname);
    const addrs = answers(hostname);
    cb(null, addrs.map<LookupAddress>((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return { resolver, asked };
}

const policy = (p: Partial<OutboundPolicy> = {}) => () => ({ ...DEFAULT_OUTBOUND_POLICY, timeoutMs: 2000, ...p });
const isBlocked = (e: unknown) => e instanceof OutboundError && (e.kind === 'blocked' || e.kind === 'invalid_url');

describe('SSRF guard properties', () => {
  it(`refuses every encoding of every non-public IPv4 address written in the URL (${RUNS} runs)`, async () => {
    // Any DNS answer would also be private: a literal that slipped past the URL check is caught again.
    const dns = fakeDns(() => ['127.0.0.1']);
    const client = new OutboundHttp(policy(), { resolver: dns.resolver });
    await fc.assert(
      fc.asyncProperty(privateV4, fc.nat(ENCODINGS.length - 1), fc.nat(255), async (o, how, r) => {
        const host = ENCODINGS[how]!(o, r);
        await assert.rejects(client.request({ url: `http://${host}:9/x` }), isBlocked, `${host} (${o.join('.')})`);
      }),
      { numRuns: RUNS },
    );
  });

  it(`refuses non-public IPv6 literals (${RUNS} runs)`, async () => {
    const client = new OutboundHttp(policy(), { resolver: fakeDns(() => ['::1']).resolver });
    await fc.assert(
      fc.asyncProperty(privateV6, async (ip) => {
        assert.ok(forbiddenReason(ip), ip);
        await assert.rejects(client.request({ url: `http://[${ip}]:9/` }), isBlocked, ip);
      }),
      { numRuns: RUNS },
    );
  });

  it(`refuses host names whose DNS answer contains any non-public address, checked at connect time (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.domain(),
        privateV4,
        fc.nat(2),
        fc.array(fc.constantFrom('93.184.216.34', '8.8.8.8', '2606:4700::1111'), { maxLength: 2 }),
        async (name, o, mix, publicOnes) => {
          const bad = mix === 0 ? o.join('.') : mix === 1 ? `::ffff:${o.join('.')}` : `64:ff9b::${o.join('.')}`;
          const dns = fakeDns(() => [...publicOnes, bad]);
          const client = new OutboundHttp(policy(), { resolver: dns.resolver });
          await assert.rejects(client.request({ url: `http://${name}:9/` }), isBlocked, `${name} -> ${bad}`);
          assert.ok(dns.asked.length <= 1, 'resolved once, at connect time (no separate validation lookup to rebind against)');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('DNS rebinding: each connection is checked against the very answer it connects to', async () => {
    // (A public first answer would make the test connect off this machine, so both answers are
    // non-public; what matters is that the second, different answer is checked again.)
    let calls = 0;
    const dns = fakeDns(() => (calls++ === 0 ? ['203.0.113.1'] : ['169.254.169.254']));
    const client = new OutboundHttp(policy(), { resolver: dns.resolver });
    await assert.rejects(client.request({ url: 'http://rebind.example:9/' }), isBlocked, 'documentation range');
    await assert.rejects(client.request({ url: 'http://rebind.example:9/' }), isBlocked, 'metadata');
    assert.equal(dns.asked.length, 2);
  });

  it('an allowlisted host name reaches internal addresses but never link-local metadata', async () => {
    const dns = fakeDns(() => ['169.254.169.254']);
    const client = new OutboundHttp(policy({ allowlist: { cidrs: [], hosts: ['monitor.internal'] } }), { resolver: dns.resolver });
    await assert.rejects(client.request({ url: 'http://monitor.internal:9/' }), isBlocked);
    await assert.rejects(client.request({ url: 'http://[::ffff:169.254.169.254]:9/' }), isBlocked);
  });

  it('classifies public unicast addresses as public (pure check, no connection)', () => {
    const nonPublic: [number[], number][] = [...V4_RANGES, [[192, 0, 2], 24], [[198, 51, 100], 24], [[203, 0, 113], 24], [[192, 88, 99], 24]];
    const toInt = (o: number[]) => (o.concat([0, 0, 0, 0]).slice(0, 4).reduce((a, x) => a * 256 + x, 0)) >>> 0;
    const inRange = (o: number[]) => nonPublic.some(([base, prefix]) => {
      const mask = (~0 << (32 - prefix)) >>> 0;
      return ((toInt(o) & mask) >>> 0) === ((toInt(base) & mask) >>> 0);
    });
    const publicV4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).filter((o) => !inRange(o));
    fc.assert(fc.property(publicV4, (o) => assert.equal(forbiddenReason(o.join('.')), null, o.join('.'))), { numRuns: RUNS });
  });

  it('never throws anything but an OutboundError for arbitrary URL strings', async () => {
    const client = new OutboundHttp(policy(), { resolver: fakeDns(() => ['10.0.0.1']).resolver });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.webUrl().map((u) => u.replace(/^https?:\/\/[^/]+/, 'http://10.1.1.1'))), async (url) => {
        await assert.rejects(client.request({ url }), (e: unknown) => e instanceof OutboundError);
      }),
      { numRuns: RUNS },
    );
  });
});
