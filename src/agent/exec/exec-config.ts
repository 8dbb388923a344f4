import { parseDuration } from '../../protocol/duration.js';
import { parseBytes } from '../../options/option-spec.js';

/** One `exec` collector from the config file. */
export interface ExecCollectorConfig {
  /** Collector name (also usable in `--collectors` / `--disable`). */
  name: string;
  /** Program and arguments; run without a shell. */
  command: string[];
  /** Wall-clock limit per run in ms; default 5 s (never more than the collection deadline). */
  timeoutMs: number;
  /** Cap on stdout per run in bytes; default 1 MiB. */
  maxOutputBytes: number;
}

/** Default wall-clock limit of one exec run, in ms. */
export const EXEC_DEFAULT_TIMEOUT_MS = 5_000;
/** Default stdout cap of one exec run, in bytes (1 MiB). */
export const EXEC_DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** Largest stdout cap accepted, in bytes (16 MiB, the wire's body limit). */
export const EXEC_MAX_OUTPUT_LIMIT = 16 * 1024 * 1024;

const KEYS = new Set(['name', 'command', 'timeout', 'max-output']);

/**
 * Validates the `exec` option: a list of `{name, command, timeout?, max-output?}`. `command` is
 * an array of strings, or a string split on blanks (no shell, no quoting: use the array form
 * for arguments with spaces). Durations read like `5s`, sizes like `512KiB`.
 * @throws Error naming the entry and field to fix.
 */
export function parseExecConfigs(value: unknown): ExecCollectorConfig[] {
  if (!Array.isArray(value)) throw new Error('must be a list of {name, command, timeout, max-output}');
  const names = new Set<string>();
  return value.map((entry, i) => {
    const at = `exec[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${at} must be an object`);
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).filter((k) => !KEYS.has(k));
    if (unknown.length) throw new Error(`${at}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...KEYS].join(', ')})`);
    if (typeof e.name !== 'string' || !/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/.test(e.name)) throw new Error(`${at}.name must be 1-64 letters, digits, "-" or "_", starting with a letter`);
    if (names.has(e.name)) throw new Error(`${at}.name "${e.name}" is used twice`);
    names.add(e.name);
    const command = typeof e.command === 'string' ? e.command.trim().split(/\s+/).filter(Boolean) : e.command;
    if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string' && c !== '')) {
      throw new Error(`${at}.command must be a non-empty list of strings (program first)`);
    }
    const timeoutMs = e.timeout === undefined ? EXEC_DEFAULT_TIMEOUT_MS : field(at, 'timeout', () => (typeof e.timeout === 'number' ? e.timeout : parseDuration(String(e.timeout))));
    if (!(timeoutMs >= 100 && timeoutMs <= 3_600_000)) throw new Error(`${at}.timeout must be between 100ms and 1h`);
    const maxOutputBytes = e['max-output'] === undefined ? EXEC_DEFAULT_MAX_OUTPUT : field(at, 'max-output', () => (typeof e['max-output'] === 'number' ? e['max-output'] : parseBytes(String(e['max-output']))));
    if (!(maxOutputBytes >= 1 && maxOutputBytes <= EXEC_MAX_OUTPUT_LIMIT)) throw new Error(`${at}.max-output must be between 1 byte and 16MiB`);
    return { name: e.name, command: command as string[], timeoutMs, maxOutputBytes };
  });
}

function field(at: string, key: string, read: () => number): number {
  try {
    return read();
  } catch (err) {
    throw new Error(`${at}.${key}: ${(err as Error).message}`);
  }
}
