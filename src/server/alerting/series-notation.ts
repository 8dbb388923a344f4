import { ParseError } from '../../protocol/duration.js';

/** Most values one notation string may expand to. */
export const SERIES_NOTATION_MAX_VALUES = 100_000;

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?`;
const TERM = new RegExp(`^(${NUM})(?:([-+])(\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?))?x(\\d+)$`);
const PLAIN = new RegExp(`^${NUM}$`);
const GAP = /^_(?:x(\d+))?$/;

/**
 * Expands promtool's series notation into values (null = no sample), e.g.
 * `1 2 3`, `0+10x5` (0, 10, …, 50), `100-1x3` (100, 99, 98, 97), `5x2` (5, 5, 5), `_`, `_x3`, `stale`.
 * @throws ParseError naming the bad term (never another exception).
 */
export function expandSeriesValues(text: string): (number | null)[] {
  if (typeof text !== 'string') throw new ParseError('values must be a string', 0);
  const out: (number | null)[] = [];
  let pos = 0;
  for (const term of text.trim().split(/\s+/).filter((t) => t !== '')) {
    const push = (v: number | null, n: number) => {
      if (out.length + n > SERIES_NOTATION_MAX_VALUES) throw new ParseError(`more than ${SERIES_NOTATION_MAX_VALUES} values`, pos);
      for (let i = 0; i < n; i++) out.push(v);
    };
    const gap = GAP.exec(term);
    if (term === 'stale') push(null, 1);
    else if (gap) push(null, gap[1] === undefined ? 1 : Number(gap[1]) + 1);
    else if (PLAIN.test(term)) push(Number(term), 1);
    else {
      const m = TERM.exec(term);
      if (!m) throw new ParseError(`"${term.slice(0, 40)}" is not a value, "a+bxn", "a-bxn", "axn", "_" or "_xn"`, pos);
      const start = Number(m[1]);
      const delta = m[2] === undefined ? 0 : (m[2] === '-' ? -1 : 1) * Number(m[3]);
      const n = Number(m[4]);
      if (out.length + n + 1 > SERIES_NOTATION_MAX_VALUES) throw new ParseError(`more than ${SERIES_NOTATION_MAX_VALUES} values`, pos);
      for (let i = 0; i <= n; i++) out.push(start + i * delta);
    }
    pos += term.length + 1;
  }
  if (out.some((v) => v !== null && !Number.isFinite(v))) throw new ParseError('values must be finite numbers', 0);
  return out;
}
