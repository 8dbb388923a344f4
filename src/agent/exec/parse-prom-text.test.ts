import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PROM_LINE_ERROR_CODES, PROM_MAX_LABELS, parsePromText, type PromFamilyMeta, type PromSample } from './parse-prom-text.js';
import { printPromText } from './print-prom-text.js';

test('parses HELP, TYPE, comments, labels with escapes, timestamps and blank lines', () => {
  const text = [
    '# HELP http_requests_total The total number of HTTP requests.\\nSecond line with \\\\ backslash.',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="post",code="200"} 1027 1395066363000',
    'http_requests_total{method="post",code="400"}    3 1395066363000',
    '',
    '# A normal comment.',
    'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    '  metric_without_timestamp_and_labels 12.47  ',
    'trailing_comma{a="1",} -0.5',
    'empty_braces{} 0',
    'windows_line_ending 1\r',
    '\tspaced { a = "x" , b="y" }\t7',
  ].join('\n');
  const r = parsePromText(text);
  assert.deepEqual(r.errors, []);
  assert.equal(r.rejectedLines, 0);
  assert.deepEqual(r.samples, [
    { metric: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 },
    { metric: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3, timestampMs: 1395066363000 },
    { metric: 'msdos_file_access_time_seconds', labels: { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' }, value: 1.458255915e9 },
    { metric: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47 },
    { metric: 'trailing_comma', labels: { a: '1' }, value: -0.5 },
    { metric: 'empty_braces', labels: {}, value: 0 },
    { metric: 'windows_line_ending', labels: {}, value: 1 },
    { metric: 'spaced', labels: { a: 'x', b: 'y' }, value: 7 },
  ]);
  assert.deepEqual(r.families.get('http_requests_total'), {
    help: 'The total number of HTTP requests.\nSecond line with \\ backslash.',
    type: 'counter',
  });
});

test('each bad line is rejected with its own typed error while the good lines are kept', () => {
  const lines: [string, string][] = [
    ['nan_value NaN', 'VIGIL_PROM_NON_FINITE'],
    ['inf_value +Inf', 'VIGIL_PROM_NON_FINITE'],
    ['neg_inf -Inf 123', 'VIGIL_PROM_NON_FINITE'],
    ['overflow 1e999', 'VIGIL_PROM_NON_FINITE'],
    ['hexvalue 0x1F', 'VIGIL_PROM_VALUE'],
    ['novalue', 'VIGIL_PROM_SYNTAX'],
    ['novalue2 ', 'VIGIL_PROM_VALUE'],
    ['1badname 1', 'VIGIL_PROM_METRIC_NAME'],
    ['bad-name 1', 'VIGIL_PROM_SYNTAX'],
    ['m{1a="x"} 1', 'VIGIL_PROM_LABEL_NAME'],
    ['m{__name__="x"} 1', 'VIGIL_PROM_LABEL_NAME'],
    ['m{a="x",a="y"} 1', 'VIGIL_PROM_DUPLICATE_LABEL'],
    ['m{a="\\t"} 1', 'VIGIL_PROM_ESCAPE'],
    ['m{a="open} 1', 'VIGIL_PROM_SYNTAX'],
    ['m{a=x} 1', 'VIGIL_PROM_SYNTAX'],
    ['m{a="x" b="y"} 1', 'VIGIL_PROM_SYNTAX'],
    ['m 1 12.5', 'VIGIL_PROM_TIMESTAMP'],
    ['m 1 99999999999999999999', 'VIGIL_PROM_TIMESTAMP'],
    ['m 1 2 3', 'VIGIL_PROM_SYNTAX'],
    ['# TYPE m gaugeish', 'VIGIL_PROM_TYPE'],
    ['# HELP 9m text', 'VIGIL_PROM_METRIC_NAME'],
    [`m{${Array.from({ length: PROM_MAX_LABELS + 1 }, (_, i) => `l${i}="v"`).join(',')}} 1`, 'VIGIL_PROM_TOO_MANY_LABELS'],
    [`m{a="${'x'.repeat(1025)}"} 1`, 'VIGIL_PROM_LABEL_VALUE_TOO_LONG'],
    [`${'m'.repeat(201)} 1`, 'VIGIL_PROM_METRIC_NAME'],
    ['good 1', ''],
    ['good 2', 'VIGIL_PROM_DUPLICATE_SAMPLE'],
  ];
  const r = parsePromText(['ok_before 1', ...lines.map(([l]) => l), 'ok_after 2'].join('\n'), { maxErrors: 100 });
  assert.deepEqual(r.samples.map((s) => s.metric), ['ok_before', 'good', 'ok_after']);
  const expected = lines.map(([, code], i) => [i + 2, code] as const).filter(([, code]) => code !== '');
  assert.deepEqual(r.errors.map((e) => [e.line, e.code]), expected);
  assert.equal(r.rejectedLines, expected.length);
  for (const e of r.errors) assert.ok(e.message.length > 0 && e.message.length < 200);
});

test('rejected lines are all counted but only maxErrors are kept', () => {
  const r = parsePromText(Array.from({ length: 50 }, () => 'x NaN').join('\n'), { maxErrors: 3 });
  assert.equal(r.rejectedLines, 50);
  assert.equal(r.errors.length, 3);
});

const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/).filter((n) => !n.startsWith('__'));
const tricky = fc.constantFrom('"', '\\', '\n', ' ', '\t', '{', '}', ',', '=', '#', 'é', '🚀', '\\n');
const text = fc.string({ unit: fc.oneof(tricky, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 40 });
const sample: fc.Arbitrary<PromSample> = fc
  .record({
    metric: metricName,
    labels: fc.dictionary(labelName, text, { maxKeys: 6 }),
    value: fc.double({ noNaN: true, noDefaultInfinity: true }),
    timestampMs: fc.option(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
  })
  .map(({ timestampMs, ...rest }) => (timestampMs === undefined ? rest : { ...rest, timestampMs }));
const sampleKey = (s: PromSample) => JSON.stringify([s.metric, s.timestampMs ?? null, Object.entries(s.labels).sort()]);

test('property: printed samples and metadata parse back to the same values', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(sample, { selector: sampleKey, maxLength: 30 }),
      fc.dictionary(
        metricName,
        fc.record({ help: fc.option(text.filter((t) => !t.endsWith('\r')), { nil: undefined }), type: fc.option(fc.constantFrom('counter', 'gauge', 'histogram', 'summary', 'untyped' as const), { nil: undefined }) }),
        { maxKeys: 5 },
      ),
      (samples, metaObj) => {
        const families = new Map<string, PromFamilyMeta>();
        for (const [name, m] of Object.entries(metaObj)) {
          const meta: PromFamilyMeta = {};
          if (m.help !== undefined) meta.help = m.help;
          if (m.type !== undefined) meta.type = m.type;
          if (meta.help !== undefined || meta.type !== undefined) families.set(name, meta);
        }
        const parsed = parsePromText(printPromText(samples, families));
        assert.deepEqual(parsed.errors, []);
        assert.equal(parsed.samples.length, samples.length);
        parsed.samples.forEach((p, i) => {
          const s = samples[i] as PromSample;
          assert.ok(Object.is(p.value, s.value), `value ${p.value} vs ${s.value}`);
          assert.deepEqual({ ...p, labels: { ...p.labels }, value: 0 }, { ...s, labels: { ...s.labels }, value: 0 });
        });
        assert.deepEqual(parsed.families, families);
      },
    ),
    { numRuns: 500 },
  );
});

const codes = new Set<string>(PROM_LINE_ERROR_CODES);
function checkOnlyTypedOutcomes(input: string): void {
  const r = parsePromText(input, { maxErrors: 1000 });
  assert.equal(r.rejectedLines, r.errors.length);
  for (const e of r.errors) assert.ok(codes.has(e.code) && Number.isInteger(e.line) && e.line >= 1, JSON.stringify(e));
  for (const s of r.samples) assert.ok(Number.isFinite(s.value) && /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(s.metric));
}

test('property: arbitrary text gives only samples or typed line errors, never an exception', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkOnlyTypedOutcomes), { numRuns: 1000 });
  const alphabet = fc.constantFrom('a', 'b', '_', ':', '{', '}', '"', '\\', '=', ',', ' ', '\t', '\n', '\r', '#', '1', '.', 'e', '-', '+', 'I', 'n', 'f', 'N', 'H', 'E', 'L', 'P', 'T', 'Y');
  fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 200 }), checkOnlyTypedOutcomes), { numRuns: 2000 });
});

test('property: corrupting printed text by inserting characters never throws', () => {
  fc.assert(
    fc.property(fc.uniqueArray(sample, { selector: sampleKey, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 5 }), (samples, edits) => {
      let t = printPromText(samples);
      for (const [pos, ins] of edits) {
        const at = t.length === 0 ? 0 : pos % t.length;
        t = t.slice(0, at) + ins + t.slice(at);
      }
      checkOnlyTypedOutcomes(t);
    }),
    { numRuns: 500 },
  );
});
