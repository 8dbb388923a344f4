import type { Logger } from '../options/command.js';

/** Log levels in increasing severity; `silent` turns logging off. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Reads a level name (e.g. from `VIGIL_LOG_LEVEL`); unknown or absent values give `info`. */
export function parseLogLevel(text: string | undefined): LogLevel {
  const t = (text ?? '').trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(t) ? (t as LogLevel) : 'info';
}

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  /** Lowest level written; default `info`. */
  level?: LogLevel;
  /** Where each line goes; default `process.stderr.write`. */
  write?: (line: string) => void;
  /** Time source for the `ts` field (ms since epoch); default `Date.now`. */
  now?: () => number;
}

/**
 * A logger that writes one JSON object per event and line:
 * `{"ts":"…","level":"info","msg":"…",…fields}`. Errors in fields are reduced to name, message
 * and code (stack traces stay out of the log stream). Field names `ts`, `level` and `msg` are
 * reserved and win over fields of the same name.
 */
export function createJsonLogger(opts: JsonLoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(opts.level ?? 'info');
  const write = opts.write ?? ((line: string) => void process.stderr.write(line));
  const now = opts.now ?? Date.now;
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const line = { ...fields, ts: new Date(now()).toISOString(), level, msg };
    write(`${JSON.stringify(line, errorReplacer)}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? { name: value.name, message: value.message } : { name: value.name, message: value.message, code };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
