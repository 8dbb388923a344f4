import type { Role } from '../storage/user-repo.js';
import type { Permission } from './policy.js';

/** A logged-in user or a user API token acting as that user. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  username: string;
  role: Role;
  permissions: readonly Permission[];
  via: 'session' | 'token';
  /** SHA-256 of the session id when `via` is `session`. */
  sessionIdHash: string | null;
  keyId: string | null;
  /**
   * True when the user must enrol a second factor before doing anything else (admin without
   * TOTP while `require-2fa-for-admins` is on): only sign-out and TOTP enrolment are allowed.
   */
  mfaEnrollmentRequired?: boolean;
}

/** An agent authenticated by its ingest key; it may only act for `agentId`. */
export interface AgentPrincipal {
  kind: 'agent';
  agentId: string;
  agentName: string;
  keyId: string;
}

/** Whoever made a request. */
export type Principal = UserPrincipal | AgentPrincipal;

/** Short actor string for logs and the audit trail, e.g. `user:alice`, `agent:web-1`. */
export function actorOf(p: Principal | null): string {
  if (!p) return 'anonymous';
  return p.kind === 'user' ? `user:${p.username}` : `agent:${p.agentName}`;
}
