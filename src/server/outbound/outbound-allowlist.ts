import { isIP } from 'node:net';
import { parseCidr, type OutboundAllowlist } from './address-policy.js';

/** Settings key of the admin allowlist of internal outbound targets. */
export const OUTBOUND_ALLOWLIST_SETTING = 'outbound.allowlist';

/** Most entries per list (CIDRs, hosts). */
export const ALLOWLIST_MAX_ENTRIES = 100;

const HOSTNAME_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Why an allowlist is not acceptable (one message per bad entry); empty when valid. */
export function allowlistProblems(list: OutboundAllowlist): string[] {
  const problems: string[] = [];
  if (list.cidrs.length > ALLOWLIST_MAX_ENTRIES || list.hosts.length > ALLOWLIST_MAX_ENTRIES) problems.push(`at most ${ALLOWLIST_MAX_ENTRIES} entries per list`);
  for (const c of list.cidrs) {
    try {
      parseCidr(c);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  for (const h of list.hosts) {
    if (isIP(h) || !HOSTNAME_RE.test(h.toLowerCase())) problems.push(`"${h.slice(0, 100)}" is not a host name (put addresses in cidrs)`);
  }
  return problems;
}

/** Normalizes an allowlist: trimmed, lower-cased hosts, de-duplicated, sorted. */
export function normalizeAllowlist(list: OutboundAllowlist): OutboundAllowlist {
  const uniq = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter((x) => x !== ''))].sort();
  return { cidrs: uniq(list.cidrs), hosts: uniq(list.hosts.map((h) => h.toLowerCase())) };
}

/**
 * Entries that open more than an internal target should need: ranges wider than /8 (IPv4) or
 * /32 (IPv6), or ranges covering the cloud metadata address 169.254.169.254 / fd00:ec2::254.
 * Reported by `vigil doctor`; not refused (an admin may mean it).
 */
export function permissiveEntries(list: OutboundAllowlist): string[] {
  const out: string[] = [];
  for (const c of list.cidrs) {
    try {
      const { net, prefix, family } = parseCidr(c);
      if ((family === 'ipv4' && prefix < 8) || (family === 'ipv6' && prefix < 32)) out.push(`${c} (very wide range)`);
      else if (family === 'ipv4' && coversV4(net, prefix, '169.254.169.254')) out.push(`${c} (includes the cloud metadata address)`);
    } catch {
      out.push(`${c} (invalid)`);
    }
  }
  return out;
}

function v4int(ip: string): number {
  return ip.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
}

function coversV4(net: string, prefix: number, ip: string): boolean {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return ((v4int(net) & mask) >>> 0) === ((v4int(ip) & mask) >>> 0);
}
