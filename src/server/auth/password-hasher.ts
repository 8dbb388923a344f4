import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Semaphore } from './semaphore.js';

/** Longest password accepted, in bytes (UTF-8); longer input is rejected before hashing. */
export const PASSWORD_MAX_BYTES = 1024;

/** Options for {@link PasswordHasher}. */
export interface PasswordHasherOptions {
  /** log2 of the scrypt cost N (default 17, the OWASP recommendation N=2^17, r=8, p=1; min 10 for tests). */
  logN?: number;
  /** Concurrent hashes allowed (default 2): each takes 128·N·r bytes (128 MiB at logN 17). */
  concurrency?: number;
}

interface ParsedHash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

const FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/**
 * scrypt password hashing in a PHC-like string `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`.
 * Runs in libuv's thread pool with bounded concurrency so a login flood cannot exhaust memory.
 */
export class PasswordHasher {
  readonly logN: number;
  private readonly sem: Semaphore;
  private dummy: string | null = null;

  constructor(opts: PasswordHasherOptions = {}) {
    this.logN = opts.logN ?? 17;
    if (this.logN < 10 || this.logN > 20) throw new RangeError('scrypt logN must be within 10..20');
    this.sem = new Semaphore(opts.concurrency ?? 2);
  }

  /** Hashes a password with a fresh 16-byte salt. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const hash = await this.derive(password, salt, this.logN, 8, 1);
    return `$scrypt$ln=${this.logN},r=8,p=1$${salt.toString('base64')}$${hash.toString('base64')}`;
  }

  /** Constant-time check of `password` against a stored hash; false for malformed hashes. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const got = await this.derive(password, parsed.salt, parsed.logN, parsed.r, parsed.p);
    return got.length === parsed.hash.length && timingSafeEqual(got, parsed.hash);
  }

  /** Burns the same time as a real verify, for unknown users (no user-enumeration by timing). */
  async verifyDummy(password: string): Promise<void> {
    this.dummy ??= await this.hash('vigil-dummy-password-for-timing');
    await this.verify(password, this.dummy);
  }

  /** True when a stored hash uses weaker parameters than the current ones (rehash on login). */
  needsRehash(stored: string): boolean {
    const p = parse(stored);
    return !p || p.logN < this.logN;
  }

  private derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
    const N = 2 ** logN;
    return this.sem.run(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          scrypt(password.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
        }),
    );
  }
}

function parse(stored: string): ParsedHash | null {
  const m = FORMAT.exec(stored);
  if (!m) return null;
  const logN = Number(m[1]);
  const r = Number(m[2]);
  const p = Number(m[3]);
  if (logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { logN, r, p, salt: Buffer.from(m[4] as string, 'base64'), hash: Buffer.from(m[5] as string, 'base64') };
}
