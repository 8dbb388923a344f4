import type { OptionSpec, OptionValues } from './option-spec.js';

/** Minimal structured logger shared by commands (`msg` is a constant string; fields carry data). */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** What a command gets from the CLI: a logger and a signal that aborts on SIGINT/SIGTERM. */
export interface CommandContext {
  log: Logger;
  signal: AbortSignal;
  /** Writes user-facing output (not log lines), e.g. tables or generated credentials. */
  print(text: string): void;
}

/**
 * A `vigil <name>` subcommand. `run` resolves when the command is finished (for long-running
 * commands: after a graceful shutdown triggered by `ctx.signal`) and returns the exit code.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  specs: readonly OptionSpec[];
  run(values: OptionValues, positionals: string[], ctx: CommandContext): Promise<number>;
}
