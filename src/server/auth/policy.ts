import type { Role } from '../storage/user-repo.js';

/** Every permission a route or subscription can require (DESIGN.md §6). */
export const PERMISSIONS = [
  'read:overview',
  'read:metrics',
  'write:metrics',
  'write:agents',
  'read:incidents',
  'write:incidents',
  'trigger:alerts',
  'read:users',
  'write:users',
  'read:audit',
  'manage:settings',
  'delete:data',
] as const;
/** A permission string such as `read:metrics`. */
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Role → permissions, the one place this mapping lives. admin: everything; operator: view and
 * change metrics, agents, incidents, rules; viewer: read metrics and incidents; guest: the
 * overview and status only.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: PERMISSIONS,
  operator: ['read:overview', 'read:metrics', 'write:metrics', 'write:agents', 'read:incidents', 'write:incidents', 'trigger:alerts'],
  viewer: ['read:overview', 'read:metrics', 'read:incidents'],
  guest: ['read:overview'],
};

/**
 * What a route requires: a permission, or one of the special access kinds:
 * `public` (no credentials: health, readiness, login, static assets), `authenticated` (any user
 * session or token), `agent` (an agent ingest key).
 */
export type Access = Permission | 'public' | 'authenticated' | 'agent' | AgentOrPermission;

/**
 * `agent|<permission>`: an agent key (acting for its own host), or a user holding the permission
 * (session or token) — e.g. `POST /api/v1/events`, which agents and analysts both write to.
 */
export type AgentOrPermission = `agent|${Permission}`;

/** The permission of an `agent|<permission>` access, or null for any other access. */
export function agentOrPermission(access: string): Permission | null {
  if (!access.startsWith('agent|')) return null;
  const p = access.slice('agent|'.length);
  return (PERMISSIONS as readonly string[]).includes(p) ? (p as Permission) : null;
}

/** True when `role` grants `permission`. */
export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Effective permissions of a user, narrowed by token scopes when given (empty = no narrowing). */
export function effectivePermissions(role: Role, scopes: readonly string[] = []): Permission[] {
  const granted = ROLE_PERMISSIONS[role];
  return scopes.length === 0 ? [...granted] : granted.filter((p) => scopes.includes(p));
}
