import { resolve } from 'node:path';
import type { Command } from '../options/command.js';
import type { OptionSpec } from '../options/option-spec.js';
import { AgentService } from './agents/agent-service.js';
import { ApiKeyService } from './auth/api-key-service.js';
import { AuditLog } from './auth/audit-log.js';
import { toServerConfig } from './config/server-config.js';
import { SERVER_OPTIONS } from './config/server-options.js';
import { systemClock } from './core/clock.js';
import { LocalEventBus } from './live/event-bus.js';
import { openStorage } from './main.js';

const KEY_OPTIONS: readonly OptionSpec[] = [
  ...SERVER_OPTIONS.filter((s) => ['data-dir', 'durability'].includes(s.name)),
  { name: 'agent', kind: 'string', description: 'create: name of the agent (created if new) the ingest key is bound to.' },
];

/**
 * `vigil key create --agent NAME` (creates the agent if needed and prints its ingest key once),
 * `vigil key list`, `vigil key revoke ID`. Works on the data directory directly, so it runs on the
 * server host even while the server is up (SQLite WAL allows it).
 */
export const keyCommand: Command = {
  name: 'key',
  summary: 'Create, list or revoke agent ingest keys.',
  usage: 'vigil key create --agent NAME | vigil key list | vigil key revoke KEY_ID',
  specs: KEY_OPTIONS,
  async run(values, positionals, ctx) {
    const config = toServerConfig({ ...defaults(), ...values });
    const storage = await openStorage({ ...config, dataDir: resolve(config.dataDir) }, systemClock);
    try {
      const keys = new ApiKeyService(storage.apiKeys, systemClock);
      const audit = new AuditLog(storage.audit, systemClock);
      const [action, arg] = positionals;
      if (action === 'create') {
        const name = values['agent'] as string | undefined;
        if (!name) return usageError(ctx, 'key create needs --agent NAME');
        const agents = new AgentService(storage.agents, storage.series, storage.samples, keys, new LocalEventBus(), systemClock);
        const existing = await storage.agents.getByName(name);
        const secret = existing ? (await keys.createAgentKey(existing.id, `ingest key for ${name}`, 'cli')).secret : (await agents.enroll(name, 'cli')).key.secret;
        await audit.record({ actor: 'cli', action: 'key.create', target: `agent:${name}`, outcome: 'success' });
        ctx.print(`Ingest key for agent "${name}" (shown once, store it safely):\n${secret}\n\nRun on that host:\n  vigil agent --server <URL> --key ${secret}`);
        return 0;
      }
      if (action === 'list') {
        for (const k of await keys.list()) {
          ctx.print(`${k.id}  ${k.kind.padEnd(5)}  ${k.prefix}…  ${k.name}  ${k.revokedAt ? 'revoked' : 'active'}  last used: ${k.lastUsedAt ? new Date(k.lastUsedAt).toISOString() : 'never'}`);
        }
        return 0;
      }
      if (action === 'revoke' && arg) {
        const ok = await keys.revoke(arg);
        await audit.record({ actor: 'cli', action: 'key.revoke', target: `key:${arg}`, outcome: ok ? 'success' : 'failure' });
        ctx.print(ok ? `revoked ${arg}` : `no active key ${arg}`);
        return ok ? 0 : 1;
      }
      return usageError(ctx, `usage: ${keyCommand.usage}`);
    } finally {
      await storage.close();
    }
  },
};

function defaults(): Record<string, unknown> {
  return Object.fromEntries(SERVER_OPTIONS.filter((s) => s.default !== undefined).map((s) => [s.name, s.default]));
}

function usageError(ctx: { print(t: string): void }, message: string): number {
  ctx.print(message);
  return 2;
}
