/** The part of a page definition and of the signed-in user that access decisions need. */
export interface AccessPage {
  /** Permission the page needs (absent: any signed-in user). */
  permission?: string;
}

/** The signed-in user's permissions, as `/api/v1/auth/me` returns them. */
export interface AccessUser {
  permissions: readonly string[];
}

/**
 * Whether the user may open `page`. This only decides what the dashboard shows; the server
 * enforces every permission again on each API call.
 */
export function canOpen(page: AccessPage, user: AccessUser): boolean {
  return page.permission === undefined || user.permissions.includes(page.permission);
}
