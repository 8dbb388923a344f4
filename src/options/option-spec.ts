import { parseDuration, ParseError } from '../protocol/duration.js';

/**
 * Value kinds an option can have; each kind has one parser and one help rendering. `json` is a
 * structured value: an object or array in the config file, or JSON text in a flag or variable;
 * the spec's `parse` validates and converts it.
 */
export type OptionKind = 'string' | 'int' | 'number' | 'bool' | 'duration' | 'bytes' | 'url' | 'enum' | 'list' | 'path' | 'json';

/**
 * One command-line option. The same spec yields the flag (`--data-dir`), the environment
 * variable (`VIGIL_DATA_DIR`) and the config-file key (`data-dir`), so the three sources can
 * never drift apart.
 */
export interface OptionSpec {
  /** Kebab-case name: flag is `--<name>`, file key is `<name>`, env is `VIGIL_<NAME>`. */
  name: string;
  kind: OptionKind;
  description: string;
  /** Default value (already typed); absent means "no value". */
  default?: unknown;
  /** Allowed values for `enum`. */
  choices?: readonly string[];
  /** Inclusive bounds for `int`, `number`, `duration` (ms) and `bytes`. */
  min?: number;
  max?: number;
  /** Secrets are never echoed back in errors or `--help` defaults. */
  secret?: boolean;
  /** Overrides the derived environment variable name. */
  env?: string;
  /** One-letter alias, e.g. `p` for `-p`. */
  alias?: string;
  /** When true, a missing value (no flag, variable, file key or default) is an error. Default false. */
  required?: boolean;
  /**
   * Validates and converts a `json` value (already parsed from JSON text when it came from a flag
   * or variable). Throws an `Error` whose message says what to fix; the parser prefixes the source.
   */
  parse?: (value: unknown) => unknown;
}

/** Typed values keyed by option name. */
export type OptionValues = Record<string, unknown>;

/** Where option values come from; flags win over env, env over the config file. */
export interface OptionSources {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  file?: Readonly<Record<string, unknown>>;
}

/** Result of parsing: values plus human-readable errors (empty when valid). */
export interface ParsedOptions {
  values: OptionValues;
  errors: string[];
  /** Positional arguments (not starting with `--`). */
  positionals: string[];
  help: boolean;
}

/** Environment variable name for a spec (`data-dir` → `VIGIL_DATA_DIR`). */
export function envName(spec: OptionSpec): string {
  return spec.env ?? `VIGIL_${spec.name.toUpperCase().replace(/-/g, '_')}`;
}

const BYTES_RE = /^(\d+(?:\.\d+)?)\s*(b|kib|mib|gib|tib|kb|mb|gb|tb)?$/i;
const BYTE_UNITS: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/** Parses `512MiB`, `1GB`, `4096` (bytes) into a byte count. */
export function parseBytes(text: string): number {
  const m = BYTES_RE.exec(text.trim());
  if (!m) throw new ParseError(`"${text}" is not a size (e.g. 512MiB, 1GB, 4096)`, 0);
  return Math.round(Number(m[1]) * (BYTE_UNITS[(m[2] ?? 'b').toLowerCase()] as number));
}

function convert(spec: OptionSpec, raw: unknown): unknown {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (spec.kind) {
    case 'string':
    case 'path':
      if (typeof text !== 'string' || text === '') throw new Error('must be a non-empty string');
      return text;
    case 'int':
    case 'number': {
      const n = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n))) throw new Error(`must be ${spec.kind === 'int' ? 'an integer' : 'a number'}`);
      return n;
    }
    case 'bool':
      if (typeof text === 'boolean') return text;
      if (typeof text === 'string' && /^(1|true|yes|on)$/i.test(text)) return true;
      if (typeof text === 'string' && /^(0|false|no|off)$/i.test(text)) return false;
      throw new Error('must be true or false');
    case 'duration':
      if (typeof text === 'number') return text;
      return parseDuration(String(text));
    case 'bytes':
      if (typeof text === 'number') return text;
      return parseBytes(String(text));
    case 'url': {
      const u = new URL(String(text));
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('must be an http:// or https:// URL');
      return u.toString().replace(/\/$/, '');
    }
    case 'enum':
      if (!spec.choices?.includes(String(text))) throw new Error(`must be one of ${spec.choices?.join(', ')}`);
      return String(text);
    case 'list':
      if (Array.isArray(text)) return text.map(String);
      return String(text).split(',').map((s) => s.trim()).filter((s) => s !== '');
    case 'json':
      return convertJson(spec, text);
  }
}

function convertJson(spec: OptionSpec, raw: unknown): unknown {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error('must be valid JSON');
    }
  }
  return spec.parse ? spec.parse(value) : value;
}

function checkBounds(spec: OptionSpec, value: unknown): void {
  if (typeof value !== 'number') return;
  if (spec.min !== undefined && value < spec.min) throw new Error(`must be at least ${spec.min}${unitHint(spec)}`);
  if (spec.max !== undefined && value > spec.max) throw new Error(`must be at most ${spec.max}${unitHint(spec)}`);
}

function unitHint(spec: OptionSpec): string {
  return spec.kind === 'duration' ? ' ms' : spec.kind === 'bytes' ? ' bytes' : '';
}

function describeSource(spec: OptionSpec, source: 'flag' | 'env' | 'file'): string {
  return source === 'flag' ? `--${spec.name}` : source === 'env' ? envName(spec) : `config file key "${spec.name}"`;
}

function splitArgv(argv: readonly string[], specs: readonly OptionSpec[]) {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  const errors: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : arg.slice(1, eq > 0 ? eq : undefined);
    const spec = specs.find((s) => s.name === key || s.alias === key || (s.kind === 'bool' && `no-${s.name}` === key));
    if (!spec) {
      errors.push(`unknown option ${arg.split('=')[0]} (see --help)`);
      continue;
    }
    if (eq > 0) flags.set(spec.name, arg.slice(eq + 1));
    else if (spec.kind === 'bool') flags.set(spec.name, key.startsWith('no-') ? 'false' : 'true');
    else if (i + 1 < argv.length) flags.set(spec.name, argv[++i] as string);
    else errors.push(`option --${spec.name} needs a value`);
  }
  return { flags, positionals, errors, help };
}

/**
 * Parses and validates options from flags, environment and config file (in that precedence).
 * Every problem is reported with the source it came from, e.g.
 * `VIGIL_PORT: must be at most 65535`.
 */
export function parseOptions(specs: readonly OptionSpec[], sources: OptionSources): ParsedOptions {
  const { flags, positionals, errors, help } = splitArgv(sources.argv, specs);
  const values: OptionValues = {};
  for (const key of Object.keys(sources.file ?? {})) {
    if (!specs.some((s) => s.name === key)) errors.push(`config file: unknown key "${key}"`);
  }
  for (const spec of specs) {
    const candidates: [unknown, 'flag' | 'env' | 'file'][] = [
      [flags.get(spec.name), 'flag'],
      [sources.env[envName(spec)], 'env'],
      [sources.file?.[spec.name], 'file'],
    ];
    const found = candidates.find(([v]) => v !== undefined && v !== '');
    if (!found) {
      if (spec.default !== undefined) values[spec.name] = spec.default;
      else if (spec.required) errors.push(`--${spec.name} is required (or set ${envName(spec)}, or config file key "${spec.name}")`);
      continue;
    }
    const [raw, source] = found;
    try {
      const value = convert(spec, raw);
      checkBounds(spec, value);
      values[spec.name] = value;
    } catch (err) {
      const shown = spec.secret ? '(hidden)' : JSON.stringify(raw);
      errors.push(`${describeSource(spec, source)}: ${shown} ${(err as Error).message}`);
    }
  }
  return { values, errors, positionals, help };
}

/** Renders `--help` text for a command from its specs. */
export function renderHelp(usage: string, summary: string, specs: readonly OptionSpec[]): string {
  const lines = [`Usage: ${usage}`, '', summary, '', 'Options (flag | environment variable | config-file key):'];
  for (const s of specs) {
    const value = s.kind === 'bool' ? '' : ` <${s.kind === 'enum' ? s.choices?.join('|') : s.kind}>`;
    const def = s.default === undefined || s.secret ? (s.required ? ' (required)' : '') : ` (default: ${formatDefault(s)})`;
    lines.push(`  --${s.name}${s.alias ? `, -${s.alias}` : ''}${value}   [${envName(s)}]`);
    lines.push(`      ${s.description}${def}`);
  }
  lines.push('  --config <path>   [VIGIL_CONFIG]', '      Read options from a YAML or JSON file (keys are the option names above).');
  lines.push('  --help, -h', '      Show this help.');
  return lines.join('\n');
}

function formatDefault(s: OptionSpec): string {
  if (s.kind === 'duration' && typeof s.default === 'number') return `${s.default} ms`;
  if (s.kind === 'json') return JSON.stringify(s.default);
  if (Array.isArray(s.default)) return s.default.join(',') || '(none)';
  return String(s.default);
}

/** Removes `--config <path>` / `--config=<path>` from argv; falls back to `VIGIL_CONFIG`. */
export function extractConfigPath(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): { path: string | null; argv: string[] } {
  const rest: string[] = [];
  let path: string | null = env.VIGIL_CONFIG ?? null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--config' && i + 1 < argv.length) path = argv[++i] as string;
    else if (arg.startsWith('--config=')) path = arg.slice('--config='.length);
    else rest.push(arg);
  }
  return { path, argv: rest };
}
