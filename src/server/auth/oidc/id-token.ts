import { constants, createPublicKey, verify as cryptoVerify, type JsonWebKey, type KeyObject } from 'node:crypto';

/** Why an ID token was refused (never includes the token itself). */
export class IdTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdTokenError';
  }
}

/** Claims Vigil reads from an ID token (others are kept as unknown). */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  azp?: string;
  [claim: string]: unknown;
}

/** Asymmetric algorithms accepted; `none` and HMAC (`HS*`, keyed with the client secret) never are. */
const ALGS: Record<string, { hash: string | null; pss?: boolean; ec?: boolean }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  PS256: { hash: 'sha256', pss: true },
  PS384: { hash: 'sha384', pss: true },
  PS512: { hash: 'sha512', pss: true },
  ES256: { hash: 'sha256', ec: true },
  ES384: { hash: 'sha384', ec: true },
  ES512: { hash: 'sha512', ec: true },
  EdDSA: { hash: null },
};

/** One key of a JWKS document. */
export type Jwk = JsonWebKey & { kid?: string; use?: string; alg?: string; kty: string };

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new IdTokenError(`the ID token ${what} is not valid base64url JSON`);
  }
}

/** Expectations for {@link verifyIdToken}. */
export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  /** Current time, ms since epoch. */
  now: number;
  /** Allowed clock skew, seconds (default 60). */
  skewSeconds?: number;
}

/**
 * Verifies a compact JWS ID token against the provider's keys (signature with an asymmetric
 * algorithm, `kid` match) and checks `iss`, `aud`/`azp`, `exp`, `iat` and `nonce` (OIDC Core
 * §3.1.3.7). @throws IdTokenError naming the failed check.
 */
export function verifyIdToken(token: string, keys: readonly Jwk[], expect: IdTokenExpectations): IdTokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 16_384) throw new IdTokenError('the ID token is not a compact JWS');
  const [h, p, sig] = parts as [string, string, string];
  const header = decodeJson(h, 'header');
  const alg = typeof header['alg'] === 'string' ? header['alg'] : '';
  const spec = ALGS[alg];
  if (!spec) throw new IdTokenError(`ID token algorithm "${alg.slice(0, 20)}" is not accepted`);
  const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
  const candidates = keys.filter((k) => (kid === undefined || k.kid === kid) && (k.use === undefined || k.use === 'sig') && (k.alg === undefined || k.alg === alg));
  if (candidates.length === 0) throw new IdTokenError('no provider key matches the ID token');
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig, 'base64url');
  const ok = candidates.some((jwk) => {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      return false;
    }
    const opts = spec.pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : spec.ec ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
    try {
      return cryptoVerify(spec.hash, data, opts, signature);
    } catch {
      return false;
    }
  });
  if (!ok) throw new IdTokenError('the ID token signature is invalid');
  const claims = decodeJson(p, 'payload') as Partial<IdTokenClaims>;
  checkClaims(claims, expect);
  return claims as IdTokenClaims;
}

function checkClaims(c: Partial<IdTokenClaims>, expect: IdTokenExpectations): void {
  const skew = expect.skewSeconds ?? 60;
  const now = expect.now / 1000;
  if (c.iss !== expect.issuer) throw new IdTokenError('the ID token issuer does not match');
  if (typeof c.sub !== 'string' || c.sub === '' || c.sub.length > 255) throw new IdTokenError('the ID token has no valid subject');
  const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (!aud.includes(expect.clientId)) throw new IdTokenError('the ID token is not meant for this client');
  if (aud.length > 1 && c.azp !== expect.clientId) throw new IdTokenError('the ID token azp does not match');
  if (typeof c.exp !== 'number' || c.exp + skew < now) throw new IdTokenError('the ID token expired');
  if (typeof c.iat !== 'number' || c.iat - skew > now) throw new IdTokenError('the ID token was issued in the future');
  if (c.nonce !== expect.nonce) throw new IdTokenError('the ID token nonce does not match');
}
