import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isCommonPassword } from '../auth/common-passwords.js';
import { AuditLog } from '../auth/audit-log.js';
import { redactDatabaseUrl } from '../config/database-url.js';
import type { ServerConfig } from '../config/server-config.js';
import type { Clock } from '../core/clock.js';
import type { OutboundAllowlist } from '../outbound/address-policy.js';
import { parseCidr } from '../outbound/address-policy.js';
import { OUTBOUND_ALLOWLIST_SETTING, permissiveEntries } from '../outbound/outbound-allowlist.js';
import { SecretBox } from '../secrets/secret-box.js';
import type { Storage } from '../storage/storage.js';

/** How bad a finding is; `high` makes `vigil doctor` exit 1. */
export type Severity = 'high' | 'medium' | 'low' | 'info';

/** One finding: a stable code, what is wrong and how to fix it. */
export interface Finding {
  severity: Severity;
  code: string;
  message: string;
  fix: string;
}

const ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };
const DAY = 86_400_000;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function transportFindings(c: ServerConfig): Finding[] {
  const out: Finding[] = [];
  const tls = c.tlsCert !== null || (c.publicUrl?.startsWith('https:') ?? false);
  if (!tls) {
    out.push(
      isLoopback(c.host)
        ? { severity: 'low', code: 'no-tls', message: 'the server speaks plain HTTP (it listens on loopback only)', fix: 'put it behind an HTTPS proxy (and set --public-url https://…) or use --tls-cert/--tls-key before exposing it' }
        : { severity: 'high', code: 'no-tls', message: `the server listens on ${c.host} over plain HTTP: passwords, session cookies and agent keys cross the network in clear`, fix: 'use --tls-cert/--tls-key, or an HTTPS reverse proxy with --public-url https://… and --trust-proxy' },
    );
  }
  for (const [name, path] of [['tls-cert', c.tlsCert], ['tls-key', c.tlsKey]] as const) {
    if (path && !existsSync(path)) out.push({ severity: 'high', code: 'tls-file-missing', message: `--${name} ${path} does not exist`, fix: 'point it at the PEM file' });
  }
  if (c.tlsKey && existsSync(c.tlsKey) && (statSync(c.tlsKey).mode & 0o077) !== 0) {
    out.push({ severity: 'medium', code: 'tls-key-permissions', message: `${c.tlsKey} is readable by other users`, fix: `chmod 600 ${c.tlsKey}` });
  }
  for (const p of c.trustProxy) {
    try {
      const { prefix, family } = parseCidr(p);
      if ((family === 'ipv4' && prefix < 8) || (family === 'ipv6' && prefix < 32)) {
        out.push({ severity: 'high', code: 'trust-proxy-wide', message: `--trust-proxy ${p} trusts X-Forwarded-For from almost anyone: clients can fake their IP and dodge rate limits`, fix: 'list only the addresses of your reverse proxies' });
      }
    } catch {
      out.push({ severity: 'high', code: 'trust-proxy-invalid', message: `--trust-proxy entry "${p}" is not an IP or CIDR`, fix: 'use addresses like 10.0.0.5 or 10.0.0.0/24' });
    }
  }
  return out;
}

/** PostgreSQL: where it is (password hidden) and whether the connection is encrypted off-host. */
function databaseFindings(c: ServerConfig): Finding[] {
  if (!c.database) return [];
  const shown = redactDatabaseUrl(c.database.url);
  const out: Finding[] = [{ severity: 'info', code: 'database', message: `storage: PostgreSQL at ${shown}${c.database.schema ? ` (schema ${c.database.schema})` : ''}, pool of ${c.database.poolSize}`, fix: 'nothing to do' }];
  let url: URL | null = null;
  try {
    url = new URL(c.database.url);
  } catch {
    out.push({ severity: 'high', code: 'database-url-invalid', message: `--database-url ${shown} cannot be parsed`, fix: 'use postgres://user:password@host:5432/database' });
  }
  const sslmode = url?.searchParams.get('sslmode') ?? '';
  const host = url?.hostname.replace(/^\[|\]$/g, '') ?? '';
  if (url && !isLoopback(host) && !url.searchParams.has('host') && !['require', 'verify-ca', 'verify-full'].includes(sslmode)) {
    out.push({ severity: 'medium', code: 'database-no-tls', message: `PostgreSQL at ${host} is reached without TLS: the password and all data cross the network in clear`, fix: 'add ?sslmode=verify-full (or require) to --database-url' });
  }
  return out;
}

function secretFindings(c: ServerConfig): Finding[] {
  const out: Finding[] = [];
  if (c.adminPassword !== null) {
    const weak = c.adminPassword.length < 12 || isCommonPassword(c.adminPassword);
    out.push(
      weak
        ? { severity: 'high', code: 'weak-admin-password', message: 'VIGIL_ADMIN_PASSWORD is short or a common password', fix: 'change the admin password in the dashboard and remove VIGIL_ADMIN_PASSWORD from the configuration' }
        : { severity: 'low', code: 'admin-password-in-config', message: 'VIGIL_ADMIN_PASSWORD is still set (it is only used for the very first start)', fix: 'remove it from the environment / config file' },
    );
  }
  if (c.secretKey !== null) {
    try {
      const key = SecretBox.keyFrom(c.secretKey);
      if (new Set(key).size < 12) out.push({ severity: 'high', code: 'weak-secret-key', message: 'VIGIL_SECRET_KEY has very little randomness (repeated bytes)', fix: 'generate one with: openssl rand -hex 32 (then re-enter stored secrets)' });
    } catch {
      out.push({ severity: 'high', code: 'invalid-secret-key', message: 'VIGIL_SECRET_KEY is not 32 bytes of hex or base64', fix: 'generate one with: openssl rand -hex 32' });
    }
  } else {
    const file = join(resolve(c.dataDir), 'secret.key');
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) out.push({ severity: 'medium', code: 'secret-key-permissions', message: `${file} is readable by other users`, fix: `chmod 600 ${file}` });
    else if (existsSync(file) && new Set(Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')).size < 12) out.push({ severity: 'high', code: 'weak-secret-key', message: `${file} holds a low-randomness key`, fix: 'replace it with openssl rand -hex 32' });
  }
  if (c.oidc && !c.oidc.clientSecret) out.push({ severity: 'info', code: 'oidc-public-client', message: 'SSO uses a public client (no client secret); PKCE protects the code exchange', fix: 'prefer a confidential client with --oidc-client-secret' });
  return out;
}

function policyFindings(c: ServerConfig): Finding[] {
  const out: Finding[] = [];
  if (!c.rateLimit.enabled) out.push({ severity: 'medium', code: 'rate-limit-off', message: 'request rate limits are disabled', fix: 'remove --rate-limit=false unless an equivalent limit runs in front' });
  if (c.rateLimit.loginMaxFailures > 100) out.push({ severity: 'medium', code: 'login-throttle-loose', message: `${c.rateLimit.loginMaxFailures} failed logins are allowed per account window (ASVS: at most 100 per hour)`, fix: 'lower --login-max-failures' });
  if (c.scryptLogN < 17) out.push({ severity: 'medium', code: 'weak-password-hashing', message: `password hashing cost is scrypt N=2^${c.scryptLogN} (OWASP: 2^17)`, fix: 'raise --scrypt-log-n to 17; hashes are upgraded at the next login' });
  if (c.sessionAbsoluteTimeoutMs > 30 * DAY) out.push({ severity: 'low', code: 'long-sessions', message: 'sessions may live longer than 30 days', fix: 'lower --session-absolute-timeout' });
  if (c.sessionIdleTimeoutMs > DAY) out.push({ severity: 'low', code: 'long-idle-sessions', message: 'idle sessions survive longer than a day', fix: 'lower --session-idle-timeout' });
  if (!c.require2faForAdmins) out.push({ severity: 'low', code: 'admin-2fa-optional', message: 'admins may sign in without a second factor', fix: 'set --require-2fa-for-admins' });
  if (c.oidc) {
    if (c.oidc.defaultRole !== 'none') {
      out.push({ severity: c.oidc.defaultRole === 'operator' ? 'high' : 'medium', code: 'open-registration', message: `every account of the SSO provider may sign in as ${c.oidc.defaultRole} (no group mapping needed)`, fix: 'set --oidc-default-role none and map groups with --oidc-role-map' });
    }
    const issuer = new URL(c.oidc.issuer);
    if (issuer.protocol !== 'https:' && !isLoopback(issuer.hostname)) out.push({ severity: 'high', code: 'oidc-insecure-issuer', message: `the SSO issuer ${c.oidc.issuer} is not HTTPS`, fix: 'use the provider’s https:// issuer URL' });
  }
  return out;
}

async function dataFindings(storage: Storage, clock: Clock): Promise<Finding[]> {
  const out: Finding[] = [];
  const now = clock.now();
  const users = await storage.users.list();
  for (const u of users.filter((x) => x.role === 'admin' && !x.disabled)) {
    if (!u.totpEnabled && u.source === 'local') out.push({ severity: 'medium', code: 'admin-without-2fa', message: `admin "${u.username}" has no second factor`, fix: 'enable two-factor authentication in the dashboard (account menu), or --require-2fa-for-admins' });
    if (u.source === 'local' && u.passwordChangedAt === u.createdAt && now - u.createdAt > DAY) {
      out.push({ severity: 'low', code: 'admin-initial-password', message: `admin "${u.username}" still uses the password set at creation`, fix: 'change it after the first sign-in' });
    }
  }
  const allowlist = (await storage.settings.get<OutboundAllowlist>(OUTBOUND_ALLOWLIST_SETTING)) ?? { cidrs: [], hosts: [] };
  for (const p of permissiveEntries(allowlist)) out.push({ severity: 'high', code: 'permissive-allowlist', message: `the outbound allowlist has ${p}: webhooks and checks may reach internal services and cloud metadata`, fix: 'narrow it to the internal hosts you monitor (Settings → Outbound allowlist)' });
  if (allowlist.cidrs.length + allowlist.hosts.length > 0) out.push({ severity: 'info', code: 'allowlist', message: `outbound allowlist: ${[...allowlist.cidrs, ...allowlist.hosts].join(', ')}`, fix: 'review it from time to time' });
  const stale = (await storage.apiKeys.list({ kind: 'user' })).filter((k) => !k.revokedAt && k.expiresAt === null && now - (k.lastUsedAt ?? k.createdAt) > 90 * DAY);
  if (stale.length) out.push({ severity: 'low', code: 'stale-tokens', message: `${stale.length} user token(s) without expiry have not been used for 90 days`, fix: 'revoke them (vigil key list / revoke)' });
  const chain = await new AuditLog(storage.audit, clock).verify();
  if (chain.brokenAt !== null) out.push({ severity: 'high', code: 'audit-chain-broken', message: `the audit log was altered at entry ${chain.brokenAt}`, fix: 'investigate: restore the database from a backup and compare' });
  return out;
}

/**
 * Checks a configuration and its data directory for weak or default secrets, missing TLS, open
 * registration, admins without 2FA, permissive allowlists and other risky settings. Returns the
 * findings, most severe first.
 */
export async function runDoctor(config: ServerConfig, storage: Storage, clock: Clock): Promise<Finding[]> {
  const findings = [...transportFindings(config), ...databaseFindings(config), ...secretFindings(config), ...policyFindings(config), ...(await dataFindings(storage, clock))];
  return findings.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

/** Human-readable report of findings. */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'vigil doctor: no findings.';
  const counts = (['high', 'medium', 'low', 'info'] as const).map((s) => `${findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
  const lines = findings.map((f) => `[${f.severity.toUpperCase()}] ${f.code}: ${f.message}\n        fix: ${f.fix}`);
  return `${lines.join('\n')}\n\nvigil doctor: ${counts}`;
}
