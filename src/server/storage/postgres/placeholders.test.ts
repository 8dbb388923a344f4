import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { rewritePlaceholders } from './placeholders.js';

/** One SQL token and what it must become after rewriting (`null` = a placeholder). */
type Token = { sql: string; placeholder: boolean };

const plainChars = fc.constantFrom('a', 'b', 'Z', '_', '1', ' ', '\n', ',', '(', ')', '=', '<', '>', '+', '*', '.', ';', ':');
const anyChars = fc.constantFrom('a', ' ', '?', '$', '\n', '*', '/', '-', '\\', 'x', '1');
const body = (exclude: string) => fc.array(anyChars.filter((ch) => ch !== exclude), { maxLength: 8 }).map((a) => a.join(''));

const token: fc.Arbitrary<Token> = fc.oneof(
  fc.constant({ sql: '?', placeholder: true }),
  fc.array(plainChars, { minLength: 1, maxLength: 6 }).map((a) => ({ sql: ` ${a.join('')} `, placeholder: false })),
  body("'").map((b) => ({ sql: ` '${b.replace(/\\/g, '')}''${b.replace(/\\/g, '')}' `, placeholder: false })),
  body("'").map((b) => ({ sql: ` E'${b.replace(/\\/g, '\\\\')}\\'?' `, placeholder: false })),
  body('"').map((b) => ({ sql: ` "${b}""?" `, placeholder: false })),
  body('\n').map((b) => ({ sql: ` --${b}?\n`, placeholder: false })),
  body('*').map((b) => ({ sql: ` /* ${b} /* ? */ ${b} */ `, placeholder: false })),
  body('$').map((b) => ({ sql: ` $q$${b}?$q$ `, placeholder: false })),
  body('$').map((b) => ({ sql: ` $$${b}?$$ `, placeholder: false })),
);

describe('rewritePlaceholders', () => {
  it('numbers the placeholders in order', () => {
    assert.deepEqual(rewritePlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)'), { text: 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)', count: 3 });
  });

  it('leaves literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT '?', "a?b", E'\\'?', $x$ ? $x$, $$?$$ -- ?\n /* ? /* ? */ ? */ FROM t WHERE v = ?`;
    const { text, count } = rewritePlaceholders(sql);
    assert.equal(count, 1);
    assert.equal(text, sql.replace(/= \?$/, '= $1'));
  });

  it('treats $1-style parameters and identifiers with $ as code', () => {
    assert.deepEqual(rewritePlaceholders('SELECT a$b, ? FROM t'), { text: 'SELECT a$b, $1 FROM t', count: 1 });
  });

  it('property: only placeholder tokens are rewritten, everything else is kept byte for byte', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        const sql = tokens.map((t) => t.sql).join('');
        let k = 0;
        const expected = tokens.map((t) => (t.placeholder ? `$${++k}` : t.sql)).join('');
        const { text, count } = rewritePlaceholders(sql);
        assert.equal(count, k);
        assert.equal(text, expected);
      }),
      { numRuns: 500 },
    );
  });

  it('property: never throws; on input without $ or digits, undoing the numbering restores it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const sql = raw.replace(/[$0-9]/g, '');
        const { text, count } = rewritePlaceholders(sql);
        assert.ok(count <= (sql.match(/\?/g) ?? []).length);
        assert.equal(text.replace(/\$\d+/g, '?'), sql);
      }),
      { numRuns: 500 },
    );
  });
});
