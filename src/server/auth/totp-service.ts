import type { Clock } from '../core/clock.js';
import { errors, VigilError } from '../core/errors.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { UserRecord, UserRepo } from '../storage/user-repo.js';
import { base32Encode, newTotpSecret, otpauthUri, verifyTotp } from './totp.js';

/** What a user sees once when setting up TOTP: the secret (base32) and the `otpauth://` URI. */
export interface TotpSetup {
  secret: string;
  uri: string;
}

/**
 * Optional second factor (RFC 6238 TOTP, 6 digits, 30 s, ±1 step). The secret is stored sealed
 * by the SecretBox; each accepted time step is recorded so a code cannot be replayed.
 */
export class TotpService {
  constructor(
    private readonly users: UserRepo,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Starts (or restarts) enrolment: a new secret, inactive until {@link enable} confirms a code. */
  async setup(userId: string): Promise<TotpSetup> {
    const user = await this.user(userId);
    if (user.totpEnabled) throw errors.conflict('two-factor authentication is already enabled; disable it first');
    const secret = newTotpSecret();
    await this.users.update(userId, { totpSecret: this.box.encrypt(secret.toString('hex'), context(userId)), totpLastStep: null }, this.clock.now());
    return { secret: base32Encode(secret), uri: otpauthUri(secret, user.username) };
  }

  /** Confirms enrolment with a current code. */
  async enable(userId: string, code: string): Promise<void> {
    const user = await this.user(userId);
    if (user.totpEnabled) throw errors.conflict('two-factor authentication is already enabled');
    if (!user.totpSecret) throw errors.validation('start the setup first (POST /api/v1/auth/totp/setup)');
    if (!(await this.check(user, code))) throw errors.validation('the code is not valid; check the device clock and try the next code');
    await this.users.update(userId, { totpEnabled: true }, this.clock.now());
  }

  /** Turns the second factor off. `code` is required when the user does it, not when an admin resets it. */
  async disable(userId: string, code: string | null): Promise<void> {
    const user = await this.user(userId);
    if (code !== null && !(user.totpEnabled && (await this.check(user, code)))) throw new VigilError('VIGIL_ERR_INVALID_CREDENTIALS', 'the code is not valid');
    await this.users.update(userId, { totpEnabled: false, totpSecret: null, totpLastStep: null }, this.clock.now());
  }

  /** True when `code` is valid now and its time step was not used before (then it is used up). */
  async check(user: UserRecord, code: string): Promise<boolean> {
    if (!user.totpSecret) return false;
    const secret = Buffer.from(this.box.decrypt(user.totpSecret, context(user.id)), 'hex');
    const step = verifyTotp(secret, code, this.clock.now());
    if (step === null) return false;
    return this.users.claimTotpStep(user.id, step);
  }

  private async user(userId: string): Promise<UserRecord> {
    const user = await this.users.get(userId);
    if (!user) throw errors.notFound('user');
    return user;
  }
}

function context(userId: string): string {
  return `user:${userId}:totp`;
}
