/**
 * Rewrites the `?` placeholders of the shared SQL layer (ADR 0001) into PostgreSQL's `$1, $2, …`.
 * A `?` inside a string literal (`'…'`, `E'…'` with backslash escapes, `$tag$…$tag$`), a quoted
 * identifier (`"…"`) or a comment (`-- …`, nested `/* … *\/`) is left alone. Every other `?` is a
 * placeholder: the shared SQL never uses PostgreSQL's jsonb `?` operators.
 * Returns the rewritten SQL and the number of placeholders found.
 */
export function rewritePlaceholders(sql: string): { text: string; count: number } {
  let out = '';
  let count = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const end = skipNonCode(sql, i);
    if (end > i) {
      out += sql.slice(i, end);
      i = end;
    } else if (c === '?') {
      out += `$${++count}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, count };
}

/** When a literal, quoted identifier or comment starts at `i`, the index just after it; else `i`. */
function skipNonCode(sql: string, i: number): number {
  const c = sql[i]!;
  const next = sql[i + 1];
  if (c === "'") return skipQuoted(sql, i + 1, "'", isEscapeString(sql, i));
  if (c === '"') return skipQuoted(sql, i + 1, '"', false);
  if (c === '-' && next === '-') {
    const nl = sql.indexOf('\n', i + 2);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (c === '/' && next === '*') return skipBlockComment(sql, i + 2);
  if (c === '$') return skipDollarQuoted(sql, i);
  return i;
}

/** True when the quote at `i` opens an escape string (`E'…'`): an `E` not part of a longer word. */
function isEscapeString(sql: string, i: number): boolean {
  const p = sql[i - 1];
  if (p !== 'E' && p !== 'e') return false;
  return i < 2 || !/[A-Za-z0-9_$]/.test(sql[i - 2]!);
}

/** Skips to after the closing `quote` (a doubled quote is an escaped one). */
function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let j = from;
  while (j < sql.length) {
    const ch = sql[j]!;
    if (backslashEscapes && ch === '\\') j += 2;
    else if (ch === quote) {
      if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return sql.length;
}

/** Skips a block comment whose body starts at `from`; PostgreSQL block comments nest. */
function skipBlockComment(sql: string, from: number): number {
  let depth = 1;
  let j = from;
  while (j < sql.length && depth > 0) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j += 2;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j += 2;
    } else j++;
  }
  return j;
}

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/** Skips a dollar-quoted string `$tag$…$tag$` starting at `i` (a `$` after an identifier char is not one). */
function skipDollarQuoted(sql: string, i: number): number {
  if (i > 0 && /[A-Za-z0-9_]/.test(sql[i - 1]!)) return i;
  const m = DOLLAR_TAG.exec(sql.slice(i, i + 64));
  if (!m) return i;
  const tag = m[0];
  const close = sql.indexOf(tag, i + tag.length);
  return close < 0 ? sql.length : close + tag.length;
}
