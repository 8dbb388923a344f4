import { WIRE_LIMITS } from '../../protocol/limits.js';

/** Metric types of the Prometheus text format (`# TYPE` lines). */
export const PROM_METRIC_TYPES = ['counter', 'gauge', 'histogram', 'summary', 'untyped'] as const;
/** A metric type name. */
export type PromMetricType = (typeof PROM_METRIC_TYPES)[number];

/** One sample line. `timestampMs` is absent when the line carried none. */
export interface PromSample {
  metric: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

/** HELP and TYPE of one metric family. */
export interface PromFamilyMeta {
  help?: string;
  type?: PromMetricType;
}

/** Why a line was rejected. Stable codes, for logs and tests. */
export const PROM_LINE_ERROR_CODES = [
  'VIGIL_PROM_SYNTAX',
  'VIGIL_PROM_METRIC_NAME',
  'VIGIL_PROM_LABEL_NAME',
  'VIGIL_PROM_DUPLICATE_LABEL',
  'VIGIL_PROM_TOO_MANY_LABELS',
  'VIGIL_PROM_LABEL_VALUE_TOO_LONG',
  'VIGIL_PROM_ESCAPE',
  'VIGIL_PROM_VALUE',
  'VIGIL_PROM_NON_FINITE',
  'VIGIL_PROM_TIMESTAMP',
  'VIGIL_PROM_TYPE',
  'VIGIL_PROM_DUPLICATE_SAMPLE',
] as const;
/** A line rejection code. */
export type PromLineErrorCode = (typeof PROM_LINE_ERROR_CODES)[number];

/** A rejected line: 1-based line number, code and a message saying what is wrong. */
export interface PromLineError {
  line: number;
  code: PromLineErrorCode;
  message: string;
}

/** Result of {@link parsePromText}: the valid samples, family metadata and rejected lines. */
export interface PromParseResult {
  samples: PromSample[];
  families: Map<string, PromFamilyMeta>;
  /** Number of rejected lines (all of them, even beyond `errors`). */
  rejectedLines: number;
  /** The first rejected lines (at most `maxErrors`). */
  errors: PromLineError[];
}

/** Options of {@link parsePromText}. */
export interface PromParseOptions {
  /** Rejected lines kept in `errors` (all are counted); default 20. */
  maxErrors?: number;
}

/** Labels per sample: the wire limit minus the `host` label the server stamps. */
export const PROM_MAX_LABELS = WIRE_LIMITS.labelsPerSeriesMax - 1;

class LineError extends Error {
  constructor(
    readonly code: PromLineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const METRIC_START = /[a-zA-Z_:]/;
const METRIC_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_RE = /^[+-]?(?:inf|infinity|nan)$/i;
const INT_RE = /^[+-]?\d+$/;

/**
 * Parses the Prometheus text exposition format (version 0.0.4): `# HELP` / `# TYPE` lines,
 * comments, samples `name{label="value",…} value [timestamp_ms]` with `\\`, `\"` and `\n` escapes
 * in label values. Every malformed line is rejected on its own with a typed error and the others
 * are kept; NaN and ±Inf values are rejected too (the wire contract only carries finite numbers).
 * Never throws.
 */
export function parsePromText(text: string, opts: PromParseOptions = {}): PromParseResult {
  const maxErrors = opts.maxErrors ?? 20;
  const result: PromParseResult = { samples: [], families: new Map(), rejectedLines: 0, errors: [] };
  const seen = new Set<string>();
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;
    try {
      parseLine(line, result, seen);
    } catch (err) {
      result.rejectedLines++;
      if (result.errors.length < maxErrors) {
        const e = err instanceof LineError ? err : new LineError('VIGIL_PROM_SYNTAX', 'malformed line');
        result.errors.push({ line: lineNo, code: e.code, message: e.message });
      }
    }
  }
  return result;
}

function parseLine(raw: string, result: PromParseResult, seen: Set<string>): void {
  const c = new Cursor(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  c.skipBlanks();
  if (c.done()) return;
  if (c.peek() === '#') return parseComment(c, result);
  const sample = parseSample(c);
  const key = sampleKey(sample);
  if (seen.has(key)) throw new LineError('VIGIL_PROM_DUPLICATE_SAMPLE', `${sample.metric} appears twice with the same labels and timestamp`);
  seen.add(key);
  result.samples.push(sample);
}

function parseComment(c: Cursor, result: PromParseResult): void {
  c.pos++;
  c.skipBlanks();
  const keyword = c.word(/[A-Z]/, /[A-Z]/);
  if ((keyword !== 'HELP' && keyword !== 'TYPE') || !c.isBlank()) return; // an ordinary comment
  c.skipBlanks();
  const name = c.word(METRIC_START, METRIC_CHAR);
  if (!name) throw new LineError('VIGIL_PROM_METRIC_NAME', `# ${keyword} needs a valid metric name`);
  checkMetricName(name);
  if (!c.done() && !c.isBlank()) throw new LineError('VIGIL_PROM_METRIC_NAME', `invalid character after metric name "${name}"`);
  const family = result.families.get(name) ?? {};
  if (keyword === 'HELP') {
    if (!c.done()) c.pos++; // exactly one separator; the rest of the line (blanks included) is the docstring
    family.help = unescapeHelp(c.rest());
  } else {
    c.skipBlanks();
    const type = c.rest().trimEnd();
    if (!(PROM_METRIC_TYPES as readonly string[]).includes(type)) {
      throw new LineError('VIGIL_PROM_TYPE', `unknown metric type "${type.slice(0, 40)}" (expected ${PROM_METRIC_TYPES.join(', ')})`);
    }
    family.type = type as PromMetricType;
  }
  result.families.set(name, family);
}

function parseSample(c: Cursor): PromSample {
  const metric = c.word(METRIC_START, METRIC_CHAR);
  if (!metric) throw new LineError('VIGIL_PROM_METRIC_NAME', 'a sample line must start with a metric name');
  checkMetricName(metric);
  const labels: Record<string, string> = {};
  const afterName = c.pos;
  c.skipBlanks();
  if (c.peek() === '{') {
    parseLabels(c, labels);
    if (!c.isBlank()) throw new LineError('VIGIL_PROM_SYNTAX', `expected a blank before the value of ${metric}`);
    c.skipBlanks();
  } else if (c.pos === afterName) throw new LineError('VIGIL_PROM_SYNTAX', `expected a blank before the value of ${metric}`);
  const valueText = c.token();
  const value = parseValue(valueText);
  c.skipBlanks();
  let timestampMs: number | undefined;
  if (!c.done()) {
    const tsText = c.token();
    if (!INT_RE.test(tsText)) throw new LineError('VIGIL_PROM_TIMESTAMP', `timestamp "${tsText.slice(0, 40)}" must be an integer of ms`);
    timestampMs = Number(tsText);
    if (!Number.isSafeInteger(timestampMs)) throw new LineError('VIGIL_PROM_TIMESTAMP', 'timestamp is out of range');
    c.skipBlanks();
    if (!c.done()) throw new LineError('VIGIL_PROM_SYNTAX', 'unexpected text after the timestamp');
  }
  return timestampMs === undefined ? { metric, labels, value } : { metric, labels, value, timestampMs };
}

function parseLabels(c: Cursor, labels: Record<string, string>): void {
  c.pos++; // {
  let count = 0;
  for (;;) {
    c.skipBlanks();
    if (c.peek() === '}') break;
    const name = c.word(LABEL_START, LABEL_CHAR);
    if (!name) throw new LineError('VIGIL_PROM_LABEL_NAME', 'expected a label name');
    if (name.length > WIRE_LIMITS.labelNameMax) throw new LineError('VIGIL_PROM_LABEL_NAME', `label name longer than ${WIRE_LIMITS.labelNameMax} characters`);
    if (name.startsWith('__')) throw new LineError('VIGIL_PROM_LABEL_NAME', `label names starting with "__" are reserved (${name})`);
    if (Object.prototype.hasOwnProperty.call(labels, name)) throw new LineError('VIGIL_PROM_DUPLICATE_LABEL', `label "${name}" appears twice`);
    c.skipBlanks();
    if (c.peek() !== '=') throw new LineError('VIGIL_PROM_SYNTAX', `expected "=" after label ${name}`);
    c.pos++;
    c.skipBlanks();
    const value = parseLabelValue(c);
    if (value.length > WIRE_LIMITS.labelValueMax) throw new LineError('VIGIL_PROM_LABEL_VALUE_TOO_LONG', `value of label ${name} is longer than ${WIRE_LIMITS.labelValueMax} characters`);
    if (++count > PROM_MAX_LABELS) throw new LineError('VIGIL_PROM_TOO_MANY_LABELS', `more than ${PROM_MAX_LABELS} labels`);
    labels[name] = value;
    c.skipBlanks();
    if (c.peek() === ',') c.pos++;
    else if (c.peek() !== '}') throw new LineError('VIGIL_PROM_SYNTAX', 'expected "," or "}" after a label value');
  }
  c.pos++; // }
}

function parseLabelValue(c: Cursor): string {
  if (c.peek() !== '"') throw new LineError('VIGIL_PROM_SYNTAX', 'label values must be double-quoted');
  c.pos++;
  let out = '';
  let from = c.pos;
  while (!c.done()) {
    const ch = c.text.charCodeAt(c.pos);
    if (ch === 0x22) {
      out += c.text.slice(from, c.pos);
      c.pos++;
      return out;
    }
    if (ch === 0x5c) {
      out += c.text.slice(from, c.pos);
      const next = c.text[c.pos + 1];
      if (next === '\\' || next === '"') out += next;
      else if (next === 'n') out += '\n';
      else throw new LineError('VIGIL_PROM_ESCAPE', next === undefined ? 'unterminated escape in label value' : `invalid escape "\\${next}" in label value (allowed: \\\\, \\", \\n)`);
      c.pos += 2;
      from = c.pos;
      continue;
    }
    c.pos++;
  }
  throw new LineError('VIGIL_PROM_SYNTAX', 'unterminated label value');
}

function parseValue(text: string): number {
  if (text === '') throw new LineError('VIGIL_PROM_VALUE', 'missing value');
  if (NON_FINITE_RE.test(text)) throw new LineError('VIGIL_PROM_NON_FINITE', `value ${text} is not a finite number`);
  if (!FLOAT_RE.test(text)) throw new LineError('VIGIL_PROM_VALUE', `value "${text.slice(0, 40)}" is not a number`);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new LineError('VIGIL_PROM_NON_FINITE', `value ${text.slice(0, 40)} overflows a float64`);
  return v;
}

function checkMetricName(name: string): void {
  if (name.length > WIRE_LIMITS.metricNameMax) throw new LineError('VIGIL_PROM_METRIC_NAME', `metric name longer than ${WIRE_LIMITS.metricNameMax} characters`);
}

/** HELP docstrings escape only backslash and newline; any other backslash stays literal. */
function unescapeHelp(text: string): string {
  return text.replace(/\\([\\n])/g, (_m, ch: string) => (ch === 'n' ? '\n' : '\\'));
}

function sampleKey(s: PromSample): string {
  const names = Object.keys(s.labels).sort();
  return JSON.stringify([s.metric, s.timestampMs ?? null, ...names.map((n) => [n, s.labels[n]])]);
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? '';
  }
  isBlank(): boolean {
    const ch = this.text[this.pos];
    return ch === ' ' || ch === '\t';
  }
  skipBlanks(): void {
    while (this.isBlank()) this.pos++;
  }
  word(first: RegExp, rest: RegExp): string {
    const from = this.pos;
    if (!first.test(this.peek())) return '';
    this.pos++;
    while (!this.done() && rest.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(from, this.pos);
  }
  token(): string {
    const from = this.pos;
    while (!this.done() && !this.isBlank()) this.pos++;
    return this.text.slice(from, this.pos);
  }
  rest(): string {
    const r = this.text.slice(this.pos);
    this.pos = this.text.length;
    return r;
  }
}
