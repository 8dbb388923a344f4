import type { Logger } from '../../options/command.js';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** Log level names, least severe first. */
export type LogLevel = (typeof LEVELS)[number];

/**
 * One JSON object per line on stderr (`time`, `level`, `msg`, fields). Fields are structured,
 * never interpolated into `msg`, so attacker-controlled values cannot forge log lines.
 */
export function consoleLogger(level: LogLevel, base: Record<string, unknown> = {}): Logger {
  const min = LEVELS.indexOf(level);
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS.indexOf(lvl) < min) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...fields })}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
