import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { OutboundHttp } from '../../outbound/outbound-http.js';
import type { SecretBox } from '../../secrets/secret-box.js';
import { ROLES, type Role, type UserRecord } from '../../storage/user-repo.js';
import type { UserService } from '../user-service.js';
import { verifyIdToken, type IdTokenClaims, type Jwk } from './id-token.js';

/** Provider settings (from `--oidc-*` options). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** Claim holding the value(s) mapped to a role (default `groups`). */
  roleClaim: string;
  /** Claim value → Vigil role; the highest matching role wins. */
  roleMap: Record<string, string>;
  /** Role when nothing matches; `none` refuses the login. */
  defaultRole: 'none' | 'guest' | 'viewer' | 'operator';
  usernameClaim: string;
  /** Provider name for the login button. */
  label: string;
}

/** Why an SSO login failed; `code` is shown to the user (`/login?sso_error=<code>`), never secrets. */
export class OidcError extends Error {
  constructor(
    readonly code: 'provider_unavailable' | 'state_mismatch' | 'provider_error' | 'token_exchange_failed' | 'invalid_id_token' | 'no_role' | 'account_conflict' | 'disabled',
    message: string,
  ) {
    super(message);
    this.name = 'OidcError';
  }
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

/** What the browser carries between start and callback, sealed in a short-lived cookie. */
interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  returnTo: string;
  exp: number;
}

/** How long a started login may take (ms). */
const PENDING_TTL_MS = 10 * 60_000;
const DISCOVERY_TTL_MS = 3_600_000;
/** Unknown `kid`s re-fetch the JWKS at most this often (ms), so forged tokens cannot hammer the provider. */
const JWKS_REFRESH_MIN_MS = 60_000;

function sha256url(s: string): string {
  return createHash('sha256').update(s).digest('base64url');
}

/** A path inside this app to go to after login: relative, no scheme, no `//` or backslash tricks. */
export function safeReturnTo(raw: string | undefined): string {
  if (!raw || raw.length > 500 || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || [...raw].some((c) => c.charCodeAt(0) < 0x20)) return '/';
  return raw;
}

/**
 * OpenID Connect login, authorization-code flow with PKCE (S256), state and nonce. Every call
 * to the provider (discovery, token, JWKS, userinfo) goes through the SSRF-guarded outbound
 * client, so a provider on an internal address must be on the admin allowlist. Pending logins
 * live in a sealed cookie (no server state, works across replicas).
 */
export class OidcLogin {
  private discovery: { doc: Discovery; at: number } | null = null;
  private jwks: { keys: Jwk[]; at: number } | null = null;

  constructor(
    readonly settings: OidcSettings,
    private readonly outbound: OutboundHttp,
    private readonly users: UserService,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Builds the provider URL to send the browser to, and the sealed value of the pending-login cookie. */
  async start(redirectUri: string, returnTo: string | undefined): Promise<{ url: string; pending: string }> {
    const d = await this.discover();
    const pending: PendingLogin = {
      state: randomBytes(16).toString('base64url'),
      nonce: randomBytes(16).toString('base64url'),
      verifier: randomBytes(32).toString('base64url'),
      redirectUri,
      returnTo: safeReturnTo(returnTo),
      exp: this.clock.now() + PENDING_TTL_MS,
    };
    const url = new URL(d.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: redirectUri,
      scope: `openid profile email${this.settings.roleClaim === 'groups' ? ' groups' : ''}`,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: sha256url(pending.verifier),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), pending: this.box.encrypt(JSON.stringify(pending), 'oidc-pending') };
  }

  /**
   * Completes the login from the callback's query and the pending-login cookie: checks state,
   * exchanges the code (with the PKCE verifier), verifies the ID token, maps the role and finds
   * or creates the user. @throws OidcError
   */
  async finish(query: Record<string, string | undefined>, sealedPending: string | undefined): Promise<{ user: UserRecord; returnTo: string; claims: IdTokenClaims }> {
    const pending = this.openPending(sealedPending);
    if (!query['state'] || query['state'] !== pending.state) throw new OidcError('state_mismatch', 'the login state does not match; start again');
    if (query['error']) throw new OidcError('provider_error', `the provider refused: ${String(query['error']).slice(0, 100)}`);
    if (!query['code']) throw new OidcError('provider_error', 'the provider sent no code');
    const d = await this.discover();
    // RFC 9207: when the provider names itself, it must be ours (mix-up attacks).
    if (query['iss'] !== undefined && query['iss'] !== d.issuer) throw new OidcError('provider_error', 'the response comes from another issuer');
    const tokens = await this.exchange(d, query['code'], pending);
    const claims = await this.verify(tokens.id_token, pending.nonce, d);
    const all = { ...(await this.userinfo(d, tokens.access_token, claims.sub)), ...claims };
    const role = this.mapRole(all[this.settings.roleClaim]);
    if (!role) throw new OidcError('no_role', 'no Vigil role is mapped to this account');
    const username = usernameFrom(all[this.settings.usernameClaim], claims.sub);
    let user: UserRecord;
    try {
      user = await this.users.upsertExternal(`${claims.iss}|${claims.sub}`, username, role);
    } catch (err) {
      throw new OidcError('account_conflict', err instanceof Error ? err.message : 'account conflict');
    }
    if (user.disabled) throw new OidcError('disabled', 'this account is disabled in Vigil');
    return { user, returnTo: pending.returnTo, claims };
  }

  /** The role for a claim value (string or array): the highest mapped one, else the default. */
  mapRole(value: unknown): Role | null {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    const mapped = values.map((v) => this.settings.roleMap[v]).filter((r): r is Role => (ROLES as readonly string[]).includes(r ?? ''));
    for (const r of ROLES) if (mapped.includes(r)) return r;
    return this.settings.defaultRole === 'none' ? null : this.settings.defaultRole;
  }

  private openPending(sealed: string | undefined): PendingLogin {
    if (!sealed) throw new OidcError('state_mismatch', 'the login was not started from this browser (cookie missing)');
    let p: PendingLogin;
    try {
      p = JSON.parse(this.box.decrypt(sealed, 'oidc-pending')) as PendingLogin;
    } catch {
      throw new OidcError('state_mismatch', 'the login cookie is not valid');
    }
    if (typeof p.exp !== 'number' || p.exp < this.clock.now()) throw new OidcError('state_mismatch', 'the login took too long; start again');
    return p;
  }

  private async getJson(url: string, headers: Record<string, string> = {}, body?: string): Promise<Record<string, unknown>> {
    let res;
    try {
      res = await this.outbound.request({ url, method: body === undefined ? 'GET' : 'POST', headers: { accept: 'application/json', ...headers }, ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      throw new OidcError('provider_unavailable', `cannot reach the provider: ${err instanceof Error ? err.message : String(err)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      json = null;
    }
    if (res.status !== 200 || typeof json !== 'object' || json === null) {
      throw new OidcError(body === undefined ? 'provider_unavailable' : 'token_exchange_failed', `the provider answered ${res.status} at ${new URL(url).pathname}`);
    }
    return json as Record<string, unknown>;
  }

  private async discover(): Promise<Discovery> {
    if (this.discovery && this.clock.now() - this.discovery.at < DISCOVERY_TTL_MS) return this.discovery.doc;
    const doc = (await this.getJson(`${this.settings.issuer}/.well-known/openid-configuration`)) as unknown as Discovery;
    if (doc.issuer !== this.settings.issuer) throw new OidcError('provider_unavailable', 'the discovery document names another issuer');
    for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (typeof doc[k] !== 'string') throw new OidcError('provider_unavailable', `the discovery document lacks ${k}`);
    }
    this.discovery = { doc, at: this.clock.now() };
    return doc;
  }

  private async exchange(d: Discovery, code: string, p: PendingLogin): Promise<{ id_token: string; access_token: string | null }> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: p.redirectUri, code_verifier: p.verifier, client_id: this.settings.clientId });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (this.settings.clientSecret) {
      const basic = `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`;
      headers['authorization'] = `Basic ${Buffer.from(basic).toString('base64')}`;
    }
    const json = await this.getJson(d.token_endpoint, headers, form.toString());
    if (typeof json['id_token'] !== 'string') throw new OidcError('token_exchange_failed', 'the token response has no id_token');
    return { id_token: json['id_token'], access_token: typeof json['access_token'] === 'string' ? json['access_token'] : null };
  }

  private async verify(idToken: string, nonce: string, d: Discovery): Promise<IdTokenClaims> {
    const expect = { issuer: d.issuer, clientId: this.settings.clientId, nonce, now: this.clock.now() };
    try {
      return verifyIdToken(idToken, await this.keys(d, false), expect);
    } catch (first) {
      // The provider may have rotated its keys: refetch once (rate-limited) and retry.
      if (!this.jwks || this.clock.now() - this.jwks.at < JWKS_REFRESH_MIN_MS) throw new OidcError('invalid_id_token', (first as Error).message);
      try {
        return verifyIdToken(idToken, await this.keys(d, true), expect);
      } catch (err) {
        throw new OidcError('invalid_id_token', (err as Error).message);
      }
    }
  }

  private async keys(d: Discovery, refresh: boolean): Promise<Jwk[]> {
    if (this.jwks && !refresh) return this.jwks.keys;
    const json = await this.getJson(d.jwks_uri);
    const keys = Array.isArray(json['keys']) ? (json['keys'] as Jwk[]) : [];
    this.jwks = { keys, at: this.clock.now() };
    return keys;
  }

  private async userinfo(d: Discovery, accessToken: string | null, sub: string): Promise<Record<string, unknown>> {
    if (!d.userinfo_endpoint || !accessToken) return {};
    const info = await this.getJson(d.userinfo_endpoint, { authorization: `Bearer ${accessToken}` });
    // Userinfo claims count only when they are about the same subject (OIDC Core §5.3.2).
    return info['sub'] === sub ? info : {};
  }
}

/** A valid Vigil username from a claim (disallowed characters become `_`), else from `sub`. */
function usernameFrom(claim: unknown, sub: string): string {
  const raw = typeof claim === 'string' && claim !== '' ? claim : `sso-${sub}`;
  return raw.replace(/[^a-zA-Z0-9._@-]/g, '_').slice(0, 64);
}
