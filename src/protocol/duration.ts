/** Thrown by the protocol parsers for any malformed input; `position` is a character offset. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION_RE = /^(\d{1,9})(ms|s|m|h|d|w)/;

/**
 * Parses a duration such as `500ms`, `10s`, `5m`, `1h30m`, `7d` or `2w` into milliseconds.
 * Units must appear in decreasing order, each at most once. Bare integers are rejected so that
 * a unit is never guessed.
 * @throws ParseError on anything else, including durations above 10 years.
 */
export function parseDuration(text: string): number {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) {
    throw new ParseError('duration must be a non-empty string like "10s", "5m" or "1h30m"', 0);
  }
  let rest = text;
  let total = 0;
  let lastUnit = Infinity;
  while (rest.length > 0) {
    const m = DURATION_RE.exec(rest);
    if (!m) throw new ParseError(`invalid duration "${text}": expected <number><ms|s|m|h|d|w>`, text.length - rest.length);
    const unitMs = UNIT_MS[m[2] as string] as number;
    if (unitMs >= lastUnit) throw new ParseError(`invalid duration "${text}": units must decrease (e.g. 1h30m)`, text.length - rest.length);
    lastUnit = unitMs;
    total += Number(m[1]) * unitMs;
    rest = rest.slice(m[0].length);
  }
  if (total > 10 * 365 * UNIT_MS.d!) throw new ParseError(`duration "${text}" is longer than 10 years`, 0);
  return total;
}

/** Formats milliseconds as the shortest duration string that `parseDuration` reads back exactly. */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError('duration must be a non-negative integer of ms');
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['w', 'd', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit] as number;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
