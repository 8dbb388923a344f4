/**
 * Validates the `next` parameter of the login page (where to go after logging in). Only
 * same-origin absolute paths are allowed: `//evil.com`, `/\evil.com`, `https://…`, `javascript:`
 * and anything with control characters fall back to `/`, so the login page cannot be used as an
 * open redirect.
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || raw.length > 2048) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  if (raw === '/login' || raw.startsWith('/login?') || raw.startsWith('/login/')) return '/';
  return raw;
}
