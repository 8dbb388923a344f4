import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { embeddedIpv4, forbiddenReason } from './address-policy.js';
import { DEFAULT_OUTBOUND_POLICY, OutboundError, OutboundHttp, type OutboundPolicy } from './outbound-http.js';

describe('address policy', () => {
  it('blocks private, loopback, link-local, CGNAT and reserved addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', '2002:7f00:1::']) {
      assert.ok(forbiddenReason(ip), `${ip} must be blocked`);
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(forbiddenReason(ip), null, ip);
  });

  it('finds IPv4 embedded in IPv6 forms', () => {
    assert.equal(embeddedIpv4('::ffff:169.254.169.254'), '169.254.169.254');
    assert.equal(embeddedIpv4('64:ff9b::7f00:1'), '127.0.0.1');
    assert.equal(embeddedIpv4('2606:4700::1111'), null);
  });
});

describe('OutboundHttp', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;
  before(async () => {
    server = http.createServer((req, res) => {
      hits++;
      if (req.url === '/redirect-out') {
        res.writeHead(302, { location: `http://127.0.0.2:${port}/secret` }).end();
        return;
      }
      if (req.url === '/big') {
        res.end(Buffer.alloc(3000, 'x'));
        return;
      }
      res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  const policy = (p: Partial<OutboundPolicy> = {}) => () => ({ ...DEFAULT_OUTBOUND_POLICY, ...p });

  it('refuses loopback by default, before sending anything', async () => {
    const before = hits;
    const client = new OutboundHttp(policy());
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://2130706433:${port}/`, `http://0x7f000001:${port}/`, `http://0177.0.0.1:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      await assert.rejects(client.request({ url }), (e: unknown) => e instanceof OutboundError && e.kind === 'blocked', url);
    }
    assert.equal(hits, before, 'no request reached the server');
  });

  it('refuses non-http schemes and credentials in URLs', async () => {
    const client = new OutboundHttp(policy());
    for (const url of ['file:///etc/passwd', 'gopher://x/', 'dict://x/', 'http://user:pw@example.com/', 'not a url']) {
      await assert.rejects(client.request({ url }), (e: unknown) => e instanceof OutboundError && e.kind === 'invalid_url', url);
    }
  });

  it('reaches an allowlisted internal target, re-checks redirects and caps the body', async () => {
    const client = new OutboundHttp(policy({ allowlist: { cidrs: ['127.0.0.1/32'], hosts: [] }, maxResponseBytes: 1000 }));
    const ok = await client.request({ url: `http://127.0.0.1:${port}/`, headers: { authorization: 'Bearer t' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body.toString()), { auth: 'Bearer t' });
    await assert.rejects(client.request({ url: `http://127.0.0.1:${port}/redirect-out` }), (e: unknown) => e instanceof OutboundError && e.kind === 'blocked');
    const big = await client.request({ url: `http://127.0.0.1:${port}/big` });
    assert.equal(big.truncated, true);
    assert.equal(big.body.length, 1000);
  });

  it('allowlisting a host name allows it whatever it resolves to', async () => {
    const client = new OutboundHttp(policy({ allowlist: { cidrs: [], hosts: ['localhost'] } }));
    const res = await client.request({ url: `http://localhost:${port}/` });
    assert.equal(res.status, 200);
  });

  it('no generated encoding of a private IPv4 address gets through', async () => {
    const client = new OutboundHttp(policy());
    const privateV4 = fc.oneof(
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
    );
    const encode = (o: number[], how: number): string => {
      const n = ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!;
      switch (how) {
        case 0: return o.join('.');
        case 1: return String(n);
        case 2: return `0x${n.toString(16)}`;
        case 3: return o.map((x) => `0${x.toString(8)}`).join('.');
        case 4: return `[::ffff:${o.join('.')}]`;
        case 5: return `[::ffff:${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}]`;
        default: return `[64:ff9b::${o.join('.')}]`;
      }
    };
    await fc.assert(
      fc.asyncProperty(privateV4, fc.integer({ min: 0, max: 6 }), async (o, how) => {
        await assert.rejects(client.request({ url: `http://${encode(o, how)}:9/` }), (e: unknown) => e instanceof OutboundError && e.kind === 'blocked');
      }),
      { numRuns: 300 },
    );
  });
});
