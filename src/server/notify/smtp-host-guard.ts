import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { compileAllowlist, forbiddenReason, type OutboundAllowlist } from '../outbound/address-policy.js';

/**
 * Resolves an SMTP host and checks every address against the outbound policy (the same ranges the
 * HTTP guard blocks, unless the admin allowlisted them). Returns the address to connect to, so the
 * connection uses exactly the address that was checked (no DNS rebinding in between).
 * @throws Error naming why the host is blocked.
 */
export async function resolveSmtpHost(host: string, allowlist: OutboundAllowlist): Promise<string> {
  const allow = compileAllowlist(allowlist);
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const addresses = isIP(bare) ? [{ address: bare }] : await lookup(bare, { all: true });
  if (addresses.length === 0) throw new Error(`${host} does not resolve`);
  if (!allow.allowsHost(bare)) {
    for (const a of addresses) {
      const reason = !allow.allowsIp(a.address) ? forbiddenReason(a.address) : null;
      if (reason) throw new Error(`${reason} (allowlist it in outbound.allowlist to use an internal SMTP server)`);
    }
  }
  return (addresses[0] as { address: string }).address;
}
