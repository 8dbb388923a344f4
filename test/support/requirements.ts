import { existsSync } from 'node:fs';
import net from 'node:net';

/** True when running in CI (`CI=true`): missing services are failures there, not skips. */
export const IN_CI = process.env.CI === 'true';

/** Path of Debian's Chromium, the only browser the tests use (never downloaded). */
export const CHROMIUM_PATH = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';

function tcpReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Decides whether a test needing `what` can run. Returns a skip reason (printed loudly) when it
 * is missing outside CI; throws when it is missing under `CI=true`.
 */
async function requirement(what: string, available: boolean, hint: string): Promise<string | false> {
  if (available) return false;
  const message = `${what} is not available (${hint})`;
  if (IN_CI) throw new Error(`CI=true: ${message} — this is a failure in CI, not a skip`);
  process.stderr.write(`\n*** SKIPPING: ${message} ***\n\n`);
  return `SKIPPED: ${message}`;
}

/** `false` when Chromium is there, else a skip reason (or a throw under CI). */
export async function needChromium(): Promise<string | false> {
  return requirement('Chromium', existsSync(CHROMIUM_PATH), `expected at ${CHROMIUM_PATH}; apt-get install -y chromium`);
}

/** `false` when PostgreSQL answers on 127.0.0.1:5432, else a skip reason (or a throw under CI). */
export async function needPostgres(): Promise<string | false> {
  return requirement('PostgreSQL', await tcpReachable('127.0.0.1', 5432), '127.0.0.1:5432');
}

/** `false` when Redis answers on 127.0.0.1:6379, else a skip reason (or a throw under CI). */
export async function needRedis(): Promise<string | false> {
  return requirement('Redis', await tcpReachable('127.0.0.1', 6379), '127.0.0.1:6379');
}
