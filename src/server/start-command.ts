import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { formatDuration } from '../protocol/duration.js';
import type { Command } from '../options/command.js';
import type { OptionSpec } from '../options/option-spec.js';
import { SERVER_OPTIONS } from './config/server-options.js';
import { toServerConfig } from './config/server-config.js';
import { ensureLocalAgent, superviseLocalAgent } from './local-agent.js';
import { startServer } from './main.js';
import { formatCredentials } from './server-command.js';

const START_OPTIONS: readonly OptionSpec[] = [
  ...SERVER_OPTIONS,
  { name: 'agent-interval', kind: 'duration', default: 10_000, min: 1000, max: 3_600_000, description: 'Collection interval of the local agent.' },
  { name: 'no-local-agent', kind: 'bool', default: false, description: 'Do not start the local agent.' },
];

/** `vigil start` (what `npm start` runs): the server plus a local agent reporting this host. */
export const startCommand: Command = {
  name: 'start',
  summary: 'Run the server and a local agent for this host (the quick start).',
  usage: 'vigil start [options]',
  specs: START_OPTIONS,
  async run(values, _positionals, ctx) {
    const config = toServerConfig(values);
    const server = await startServer(config, ctx.log);
    const dataDir = resolve(config.dataDir);
    let agentDone: Promise<void> = Promise.resolve();
    if (!values['no-local-agent']) {
      const local = await ensureLocalAgent(server, dataDir);
      const cliPath = fileURLToPath(new URL('../cli.js', import.meta.url)).replace(/\.js$/, import.meta.url.endsWith('.ts') ? '.ts' : '.js');
      agentDone = superviseLocalAgent({ cliPath, execArgv: process.execArgv, url: server.url, key: local.key, dataDir, interval: formatDuration(values['agent-interval'] as number), log: ctx.log, signal: ctx.signal }).stopped;
      ctx.print(`Local agent "${local.name}" reports this host every ${formatDuration(values['agent-interval'] as number)}.`);
    }
    ctx.print(`\nVigil is running. Dashboard: ${server.url}/`);
    ctx.print(server.bootstrap ? formatCredentials(server.bootstrap) : `Log in with your admin account ("${config.adminUser}" unless you changed it).`);
    ctx.print('Press Ctrl+C to stop.\n');
    await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
    await agentDone;
    await server.close();
    return 0;
  },
};
