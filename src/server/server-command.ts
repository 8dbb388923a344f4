import type { Command } from '../options/command.js';
import { SERVER_OPTIONS } from './config/server-options.js';
import { toServerConfig } from './config/server-config.js';
import { startServer } from './main.js';

/** `vigil server`: run the server until SIGINT/SIGTERM. */
export const serverCommand: Command = {
  name: 'server',
  summary: 'Run the Vigil server (API, dashboard, storage, live updates).',
  usage: 'vigil server [options]',
  specs: SERVER_OPTIONS,
  async run(values, _positionals, ctx) {
    const config = toServerConfig(values);
    const server = await startServer(config, ctx.log);
    ctx.print(`Vigil server listening on ${server.url}`);
    if (server.bootstrap) ctx.print(formatCredentials(server.bootstrap));
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    ctx.log.info('shutting down');
    await server.close();
    return 0;
  },
};

/** The once-only banner with the first admin's credentials. */
export function formatCredentials(b: { username: string; password: string; generated: boolean }): string {
  if (!b.generated) return `First admin "${b.username}" created with the password from VIGIL_ADMIN_PASSWORD.`;
  return [
    '┌──────────────────────────────────────────────────────────────┐',
    '│ First admin created — this password is shown only once.      │',
    `│   username: ${b.username.padEnd(49)}│`,
    `│   password: ${b.password.padEnd(49)}│`,
    '│ It is stored hashed; change it after logging in.             │',
    '└──────────────────────────────────────────────────────────────┘',
  ].join('\n');
}
