/** Transport of a socket table (`/proc/net/<proto>`). */
export type NetProto = 'tcp' | 'tcp6' | 'udp' | 'udp6';

/** One listening socket: a TCP socket in LISTEN, or a bound UDP socket without a peer. */
export interface ListeningSocket {
  proto: NetProto;
  /** Local address, dotted IPv4 or compressed IPv6 (`0.0.0.0`, `::`, `127.0.0.1`). */
  address: string;
  port: number;
  /** Socket inode (links it to the owning process's `/proc/<pid>/fd`). */
  inode: number;
  uid: number;
}

/** TCP_LISTEN in include/net/tcp_states.h. */
const TCP_LISTEN = '0A';
/** TCP_CLOSE: the state of an unconnected UDP socket. */
const UDP_UNCONNECTED = '07';

/** `0100007F` → `127.0.0.1`: the kernel prints the address as host-order (little-endian) u32 words. */
function hexToIpv4(hex: string): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  const b = Buffer.from(hex, 'hex').reverse();
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** 32 hex digits (four little-endian u32 words) → compressed IPv6 text. */
function hexToIpv6(hex: string): string | null {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return null;
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) bytes.push(...Buffer.from(hex.slice(w * 8, w * 8 + 8), 'hex').reverse());
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  // Longest run of zero groups becomes "::" (RFC 5952).
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (best < 0) return hexes.join(':');
  return `${hexes.slice(0, best).join(':')}::${hexes.slice(best + bestLen).join(':')}`;
}

/**
 * Listening sockets of one `/proc/net/{tcp,tcp6,udp,udp6}` table. Lines that do not parse
 * (header, truncated rows) are skipped; the function never throws.
 */
export function parseProcNet(text: string, proto: NetProto): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  const v6 = proto.endsWith('6');
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
    if (f.length < 10 || !/^\d+:$/.test(f[0] as string)) continue;
    const [localHex, localPort] = (f[1] as string).split(':');
    const remPort = (f[2] as string).split(':')[1];
    const st = f[3] as string;
    const listening = proto.startsWith('tcp') ? st === TCP_LISTEN : st === UDP_UNCONNECTED && remPort === '0000';
    if (!listening || !localHex || !localPort || !/^[0-9A-Fa-f]{4}$/.test(localPort)) continue;
    const address = v6 ? hexToIpv6(localHex) : hexToIpv4(localHex);
    const inode = Number(f[9]);
    const uid = Number(f[7]);
    if (address === null || !Number.isSafeInteger(inode) || !Number.isSafeInteger(uid)) continue;
    out.push({ proto, address, port: parseInt(localPort, 16), inode, uid });
  }
  return out;
}

/** True for addresses reachable only from this host (127.0.0.0/8, ::1). */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
