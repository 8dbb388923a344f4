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
}

/** Persistence of users. */
export interface UserRepo {
  create(user: UserRecord): Promise<void>;
  get(id: string): Promise<UserRecord | null>;
  getByUsername(username: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  count(): Promise<number>;
  update(id: string, patch: Partial<Pick<UserRecord, 'passwordHash' | 'role' | 'disabled' | 'passwordChangedAt'>>, at: number): Promise<boolean>;
}
