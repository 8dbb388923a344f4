#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import type { Command, CommandContext } from './options/command.js';
import { extractConfigPath, parseOptions, renderHelp } from './options/option-spec.js';
import { consoleLogger, type LogLevel } from './server/observability/console-logger.js';

/** Subcommands, loaded lazily so `vigil agent` never loads server code. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: { summary: 'Run the server and a local agent for this host (what npm start runs).', load: async () => (await import('./server/start-command.js')).startCommand },
  server: { summary: 'Run the Vigil server.', load: async () => (await import('./server/server-command.js')).serverCommand },
  agent: {
    summary: 'Run the host agent and push to a server.',
    load: async () => {
      // Before the agent's modules load: V8 would otherwise optimize the module loader while they do.
      (await import('./agent/optimizing-compiler.js')).turnOffOptimizingCompiler();
      return (await import('./agent/agent-command.js')).agentCommand;
    },
  },
  key: { summary: 'Create, list or revoke agent ingest keys and user tokens.', load: async () => (await import('./server/key-command.js')).keyCommand },
  user: { summary: 'Add users, set passwords and roles, disable or list users.', load: async () => (await import('./server/user-command.js')).userCommand },
  audit: { summary: 'Verify the audit log hash chain or export it.', load: async () => (await import('./server/audit-command.js')).auditCommand },
  doctor: { summary: 'Check the configuration and data for security problems.', load: async () => (await import('./server/doctor-command.js')).doctorCommand },
  migrate: { summary: 'Copy a SQLite data directory into PostgreSQL (resumable, verified).', load: async () => (await import('./server/storage/postgres/migrate/migrate-command.js')).migrateCommand },
  rules: { summary: 'Test alert rules against given series (vigil rules test FILE...).', load: async () => (await import('./server/alerting/rules-command.js')).rulesCommand },
};

function topHelp(): string {
  const lines = ['Usage: vigil <command> [options]', '', 'Vigil: self-hosted monitoring, alerting and security.', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  lines.push('', 'Run "vigil <command> --help" for the options of a command.');
  return lines.join('\n');
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  const text = readFileSync(path, 'utf8');
  // yaml is loaded only for YAML files: it adds ~9 MB of RSS, a sixth of the agent's budget.
  const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text);
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the config file must hold a mapping of option names to values');
  return parsed as Record<string, unknown>;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(topHelp());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`vigil: unknown command "${name}"\n\n${topHelp()}`);
    return 2;
  }
  const command = await entry.load();
  const { path, argv: args } = extractConfigPath(rest, process.env);
  let file: Record<string, unknown> | undefined;
  try {
    file = path ? await readConfigFile(path) : undefined;
  } catch (err) {
    console.error(`vigil ${name}: cannot read config file ${path}: ${(err as Error).message}`);
    return 2;
  }
  const parsed = parseOptions(command.specs, { argv: args, env: process.env, file });
  if (parsed.help) {
    console.log(renderHelp(command.usage, command.summary, command.specs));
    return 0;
  }
  if (parsed.errors.length > 0) {
    console.error(`vigil ${name}: invalid configuration:\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}\n\nRun "vigil ${name} --help" for the options.`);
    return 2;
  }
  const level = (parsed.values['log-level'] as LogLevel | undefined) ?? (process.env.VIGIL_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const controller = new AbortController();
  let firstSignalAt = 0;
  const onSignal = () => {
    // Ctrl+C reaches every process of the group and `vigil start` then also sends SIGTERM to its
    // agent: a second signal within 2 s is that echo, not a user asking to force-quit.
    if (firstSignalAt && Date.now() - firstSignalAt > 2000) process.exit(130);
    firstSignalAt ||= Date.now();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ctx: CommandContext = { log: consoleLogger(level, { cmd: name }), signal: controller.signal, print: (t) => console.log(t) };
  return command.run(parsed.values, parsed.positionals, ctx);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`vigil: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
