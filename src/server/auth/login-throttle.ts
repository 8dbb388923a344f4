import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { RateLimitStore } from '../ratelimit/rate-limit-store.js';

/** Budget of failed logins (default: 10 per 15 min, well under ASVS's 100 per hour). */
export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

/** Whether a login attempt may proceed to password hashing. */
export interface LoginGate {
  allowed: boolean;
  /** Seconds until the budget resets (when refused). */
  retryAfterSeconds: number;
  /** `device`: the browser showed a valid device cookie and has its own budget. */
  scope: 'account' | 'device';
  /** Bucket name used for counting failures. */
  bucket: string;
}

/**
 * Brute-force protection per account, checked before any hashing. After `maxFailures` failed
 * logins for a username within the window, attempts answer 429 until the window ends — unless
 * the browser presents a *device cookie* that this server issued to it at an earlier successful
 * login of the same user (OWASP "device cookies"): then only that device's own failures count.
 * An attacker hammering the admin account therefore cannot lock the real admin out of their
 * usual browser. Unknown usernames are counted the same way, so answers do not reveal them.
 */
export class LoginThrottle {
  constructor(
    private readonly store: RateLimitStore,
    private readonly clock: Clock,
    private readonly opts: LoginThrottleOptions,
    private readonly deviceKey: Buffer,
  ) {}

  /** The failure budget: `limit` failures per `windowMs`. */
  get budget(): { limit: number; windowMs: number } {
    return { limit: this.opts.maxFailures, windowMs: this.opts.windowMs };
  }

  /** Decides whether an attempt for `username` (with the device cookie, if any) may go on. */
  async check(username: string, deviceToken: string | undefined): Promise<LoginGate> {
    const bucket = this.bucket(username, deviceToken);
    const { count, resetAt } = await this.store.peek(bucket.key, this.opts.windowMs, this.clock.now());
    const allowed = count < this.opts.maxFailures;
    return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAt - this.clock.now()) / 1000)), scope: bucket.scope, bucket: bucket.key };
  }

  /** Counts a failed attempt; `locked` is true when this failure used up the budget. */
  async recordFailure(gate: LoginGate): Promise<{ failures: number; locked: boolean }> {
    const { count } = await this.store.hit(gate.bucket, this.opts.windowMs, this.clock.now());
    return { failures: count, locked: count === this.opts.maxFailures };
  }

  /** A device cookie value for a browser that just logged in as `username`. */
  issueDeviceToken(username: string): string {
    const body = `${Buffer.from(username.toLowerCase()).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  private bucket(username: string, deviceToken: string | undefined): { key: string; scope: 'account' | 'device' } {
    const nonce = deviceToken ? this.verifyDevice(deviceToken, username) : null;
    return nonce ? { key: `login-device:${nonce}`, scope: 'device' } : { key: `login-account:${username.toLowerCase()}`, scope: 'account' };
  }

  /** The device's nonce when the token is genuine and was issued for `username`, else null. */
  private verifyDevice(token: string, username: string): string | null {
    const parts = token.split('.');
    if (parts.length !== 3 || token.length > 300) return null;
    const [user, nonce, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(`${user}.${nonce}`));
    const got = Buffer.from(mac);
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return null;
    return Buffer.from(user, 'base64url').toString() === username.toLowerCase() ? nonce : null;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.deviceKey).update(body).digest('base64url');
  }
}
