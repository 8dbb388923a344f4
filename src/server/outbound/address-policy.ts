import { BlockList, isIP } from 'node:net';

/**
 * Address ranges outbound requests may not reach unless an admin allowlists them: loopback,
 * private, link-local (incl. cloud metadata 169.254.169.254), CGNAT, multicast, reserved,
 * documentation and translation prefixes (which could smuggle an IPv4 target inside IPv6).
 */
const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const V6_BLOCKED: [string, number][] = [
  // ::/96 holds the unspecified and loopback addresses and the deprecated IPv4-compatible form.
  ['::', 96],
  ['::ffff:0:0:0', 96], // SIIT IPv4-translated
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64],
  ['3fff::', 20], // documentation (RFC 9637)
  ['5f00::', 16], // SRv6 SIDs
  ['2001:db8::', 32],
  ['2001::', 23],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const blocked = new BlockList();
for (const [net, prefix] of V4_BLOCKED) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6_BLOCKED) blocked.addSubnet(net, prefix, 'ipv6');

/** Expands an IPv6 literal into eight 16-bit groups (no zone id), or null. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = (v4[1] as string).split('.').map(Number);
    text = text.slice(0, -(v4[1] as string).length) + `${(((p[0] as number) << 8) | (p[1] as number)).toString(16)}:${(((p[2] as number) << 8) | (p[3] as number)).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(Math.max(0, fill)).fill('0'), ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** The IPv4 address embedded in an IPv6 one (mapped, compatible, NAT64, 6to4, Teredo), if any. */
export function embeddedIpv4(ip: string): string | null {
  const g = ipv6Groups(ip);
  if (!g) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(5) && g[5] === 0xffff) return v4(g[6] as number, g[7] as number); // ::ffff:a.b.c.d
  if (zeros(4) && g[4] === 0xffff && g[5] === 0) return v4(g[6] as number, g[7] as number); // ::ffff:0:a.b.c.d (SIIT)
  if (zeros(6) && ((g[6] as number) !== 0 || (g[7] as number) > 1)) return v4(g[6] as number, g[7] as number); // ::a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b) return v4(g[6] as number, g[7] as number); // 64:ff9b::/96 NAT64
  if (g[0] === 0x2002) return v4(g[1] as number, g[2] as number); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return v4((g[6] as number) ^ 0xffff, (g[7] as number) ^ 0xffff); // Teredo client
  return null;
}

/** Why an address is not a public unicast destination, or null when it is. */
export function forbiddenReason(ip: string): string | null {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4') ? `${ip} is a private, loopback, link-local or reserved IPv4 address` : null;
  if (family === 6) {
    const inner = embeddedIpv4(ip);
    if (inner && forbiddenReason(inner)) return `${ip} embeds the non-public IPv4 address ${inner}`;
    return blocked.check(ip, 'ipv6') ? `${ip} is a loopback, private, link-local or reserved IPv6 address` : null;
  }
  return `${ip} is not an IP address`;
}

/** An admin allowlist of internal targets: CIDR ranges and exact host names. */
export interface OutboundAllowlist {
  cidrs: string[];
  hosts: string[];
}

/** Compiles an allowlist; invalid entries are reported by {@link parseCidr}. */
export function compileAllowlist(list: OutboundAllowlist): { allowsHost(host: string): boolean; allowsIp(ip: string): boolean } {
  const bl = new BlockList();
  for (const c of list.cidrs) {
    const { net, prefix, family } = parseCidr(c);
    bl.addSubnet(net, prefix, family);
  }
  const hosts = new Set(list.hosts.map((h) => h.toLowerCase()));
  return {
    allowsHost: (host) => hosts.has(host.toLowerCase()),
    allowsIp: (ip) => {
      const family = isIP(ip);
      return family === 4 ? bl.check(ip, 'ipv4') : family === 6 ? bl.check(ip, 'ipv6') : false;
    },
  };
}

/** Parses `10.0.0.0/8` or `fd00::/8`. @throws Error with a message naming the entry. */
export function parseCidr(text: string): { net: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [net = '', p] = text.trim().split('/');
  const family = isIP(net);
  const prefix = p === undefined ? (family === 4 ? 32 : 128) : Number(p);
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${text}" is not a CIDR range like 10.0.0.0/8`);
  return { net, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}
