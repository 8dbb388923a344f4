/** True when `url` selects the PostgreSQL backend (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * The URL with its password replaced by `***`, for logs, `doctor` and error messages.
 * Also hides a `password=` query parameter. Unparseable input is hidden entirely after the scheme.
 */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    const scheme = /^[a-z]+:\/\//i.exec(url)?.[0] ?? '';
    return `${scheme}***`;
  }
}
