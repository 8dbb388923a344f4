import { LABEL_NAME_RE, METRIC_NAME_RE } from './limits.js';
import { ParseError } from './duration.js';

export { ParseError } from './duration.js';

/** Label matcher operators, as in PromQL. Regexes are fully anchored. */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One label matcher, e.g. `mode!="idle"`. */
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** A parsed series selector: `metric{label="v", other=~"re.*"}`; metric may be absent. */
export interface Selector {
  metric: string | null;
  matchers: Matcher[];
}

/** Longest selector text accepted, in characters. */
export const SELECTOR_MAX_LENGTH = 4096;
/** Longest regex accepted in a matcher, in characters. */
export const REGEX_MAX_LENGTH = 512;

const METRIC_START = /[a-zA-Z_:]/;
const METRIC_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }
  fail(message: string): never {
    throw new ParseError(`${message} at position ${this.pos}`, this.pos);
  }
  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected "${ch}"`);
    this.pos++;
  }
  word(start: RegExp, rest: RegExp): string {
    const from = this.pos;
    if (!start.test(this.peek())) return '';
    this.pos++;
    while (this.pos < this.text.length && rest.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(from, this.pos);
  }
}

/**
 * Parses a PromQL-style series selector. Strings are double-quoted with JSON escapes.
 * @throws ParseError with a position for any malformed input (never another exception).
 */
export function parseSelector(text: string): Selector {
  if (typeof text !== 'string') throw new ParseError('selector must be a string', 0);
  if (text.length > SELECTOR_MAX_LENGTH) throw new ParseError(`selector longer than ${SELECTOR_MAX_LENGTH} characters`, 0);
  const c = new Cursor(text);
  c.skipSpace();
  const metric = c.word(METRIC_START, METRIC_CHAR) || null;
  c.skipSpace();
  const matchers: Matcher[] = [];
  if (c.peek() === '{') {
    c.pos++;
    c.skipSpace();
    while (c.peek() !== '}') {
      matchers.push(parseMatcher(c));
      c.skipSpace();
      if (c.peek() === ',') {
        c.pos++;
        c.skipSpace();
      } else if (c.peek() !== '}') c.fail('expected "," or "}"');
    }
    c.pos++;
    c.skipSpace();
  }
  if (c.pos !== text.length) c.fail('unexpected character');
  if (metric === null && matchers.length === 0) throw new ParseError('empty selector: give a metric name or at least one matcher', 0);
  return { metric, matchers };
}

function parseMatcher(c: Cursor): Matcher {
  const name = c.word(LABEL_START, LABEL_CHAR);
  if (!name) c.fail('expected a label name');
  c.skipSpace();
  let op: MatchOp;
  if (c.text.startsWith('=~', c.pos)) op = '=~';
  else if (c.text.startsWith('!~', c.pos)) op = '!~';
  else if (c.text.startsWith('!=', c.pos)) op = '!=';
  else if (c.peek() === '=') op = '=';
  else c.fail('expected one of = != =~ !~');
  c.pos += op.length;
  c.skipSpace();
  const value = parseString(c);
  if (op === '=~' || op === '!~') checkRegex(value, c);
  return { name, op, value };
}

function parseString(c: Cursor): string {
  const start = c.pos;
  c.expect('"');
  let escaped = false;
  while (c.pos < c.text.length) {
    const ch = c.text[c.pos] as string;
    c.pos++;
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === '"') {
      try {
        return JSON.parse(c.text.slice(start, c.pos)) as string;
      } catch {
        c.pos = start;
        c.fail('invalid escape in string');
      }
    }
  }
  c.pos = start;
  return c.fail('unterminated string');
}

/**
 * Rejects regexes that do not compile, are too long, or have a quantified group that itself
 * contains a quantifier (`(a+)+`), the classic catastrophic-backtracking shape. Label values are
 * attacker-influenced (agents report them), so a matcher must never pin the event loop.
 */
function checkRegex(source: string, c: Cursor): void {
  if (source.length > REGEX_MAX_LENGTH) c.fail(`regex longer than ${REGEX_MAX_LENGTH} characters`);
  if (/\\[1-9]|\\k</.test(source)) c.fail('backreferences are not allowed in regex matchers');
  if (/\([^()]*[+*}][^()]*\)[+*{]/.test(source)) c.fail('nested quantifiers are not allowed in regex matchers');
  try {
    new RegExp(source, 'u');
  } catch {
    c.fail('invalid regular expression');
  }
}

/** Compiles a matcher into a predicate over a label value (absent label = ""). */
export function compileMatcher(m: Matcher): (value: string) => boolean {
  switch (m.op) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~': {
      const re = new RegExp(`^(?:${m.value})$`, 'u');
      return (v) => re.test(v);
    }
    case '!~': {
      const re = new RegExp(`^(?:${m.value})$`, 'u');
      return (v) => !re.test(v);
    }
  }
}

/** Prints a selector in canonical form; `parseSelector(printSelector(s))` equals `s`. */
export function printSelector(s: Selector): string {
  const inner = s.matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(',');
  if (s.metric !== null && s.matchers.length === 0) return s.metric;
  return `${s.metric ?? ''}{${inner}}`;
}

/** True when `name` is a valid metric name. */
export function isMetricName(name: string): boolean {
  return METRIC_NAME_RE.test(name);
}

/** True when `name` is a valid label name. */
export function isLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name);
}
