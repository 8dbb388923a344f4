/**
 * Exclude patterns of the FIM collector: a plain path excludes itself and everything below it;
 * a pattern with `*` is a glob where `*` matches within one path segment and `**` across
 * segments (`/usr/bin/*.bak`, `/etc/**\/*.swp`).
 */
export function excludeMatcher(patterns: readonly string[]): (path: string) => boolean {
  const prefixes = patterns.filter((p) => !p.includes('*')).map((p) => p.replace(/\/+$/, ''));
  const globs = patterns.filter((p) => p.includes('*')).map(globToRegExp);
  return (path) => prefixes.some((p) => path === p || path.startsWith(`${p}/`)) || globs.some((g) => g.test(path));
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
