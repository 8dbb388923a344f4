/** Roles, highest first (DESIGN.md §6). */
export const ROLES = ['admin', 'operator', 'viewer', 'guest'] as const;
/** A user role. */
export type Role = (typeof ROLES)[number];

/** A stored user (the hash is never sent to clients). */
export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
  passwordChangedAt: number;
  /** TOTP secret sealed by the SecretBox (null: none set up). */
  totpSecret: string | null;
  /** True once the user confirmed a code; only then is the second factor required. */
  totpEnabled: boolean;
  /** Last accepted TOTP time step (replay protection). */
  totpLastStep: number | null;
  /** `local` (password) or `oidc` (single sign-on; no usable password). */
  source: 'local' | 'oidc';
  /** `<issuer>|<sub>` of an SSO user. */
  externalSubject: string | null;
}

/** Fields {@link UserRepo.update} may change. */
export type UserPatch = Partial<Pick<UserRecord, 'passwordHash' | 'role' | 'disabled' | 'passwordChangedAt' | 'totpSecret' | 'totpEnabled' | 'totpLastStep' | 'username'>>;

/** Persistence of users. */
export interface UserRepo {
  create(user: UserRecord): Promise<void>;
  get(id: string): Promise<UserRecord | null>;
  getByUsername(username: string): Promise<UserRecord | null>;
  getByExternalSubject(subject: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  count(): Promise<number>;
  update(id: string, patch: UserPatch, at: number): Promise<boolean>;
  /**
   * Sets the TOTP step only when it is newer than the stored one (atomic replay guard).
   * @returns false when `step` was already used.
   */
  claimTotpStep(id: string, step: number): Promise<boolean>;
}
