import type { Command, CommandContext } from '../options/command.js';
import type { OptionSpec } from '../options/option-spec.js';
import { AgentService } from './agents/agent-service.js';
import { ApiKeyService } from './auth/api-key-service.js';
import { AuditLog } from './auth/audit-log.js';
import { PERMISSIONS } from './auth/policy.js';
import { systemClock } from './core/clock.js';
import { LocalEventBus } from './live/event-bus.js';
import { DATA_DIR_OPTIONS, openOfflineStorage } from './offline-storage.js';

const KEY_OPTIONS: readonly OptionSpec[] = [
  ...DATA_DIR_OPTIONS,
  { name: 'agent', kind: 'string', description: 'create: name of the agent (created if new) the ingest key is bound to.' },
  { name: 'user', kind: 'string', description: 'create: username a user token acts as.' },
  { name: 'scopes', kind: 'list', default: [], description: `create --user: permissions the token is limited to (comma-separated; default all of the user's): ${PERMISSIONS.join(', ')}.` },
  { name: 'expires', kind: 'duration', min: 60_000, description: 'create --user: lifetime of the token, e.g. 90d (default: no expiry).' },
  { name: 'name', kind: 'string', description: 'create: a label for the key.' },
];

function usageError(ctx: CommandContext, message: string): number {
  ctx.print(message);
  return 2;
}

/**
 * `vigil key create --agent NAME` (creates the agent if needed and prints its ingest key once),
 * `vigil key create --user NAME [--scopes read:metrics] [--expires 90d]` (a user token),
 * `vigil key list`, `vigil key revoke ID`. Works on the data directory directly, so it runs on the
 * server host even while the server is up (SQLite WAL allows it). Every change is audited.
 */
export const keyCommand: Command = {
  name: 'key',
  summary: 'Create, list or revoke agent ingest keys and user tokens.',
  usage: 'vigil key create --agent NAME | vigil key create --user NAME [--scopes P,..] [--expires 90d] | vigil key list | vigil key revoke KEY_ID',
  specs: KEY_OPTIONS,
  async run(values, positionals, ctx) {
    const { storage } = await openOfflineStorage(values);
    try {
      const keys = new ApiKeyService(storage.apiKeys, systemClock);
      const audit = new AuditLog(storage.audit, systemClock);
      const [action, arg] = positionals;
      if (action === 'create') {
        const agentName = values['agent'] as string | undefined;
        const userName = values['user'] as string | undefined;
        if (!agentName === !userName) return usageError(ctx, 'key create needs exactly one of --agent NAME or --user NAME');
        if (agentName) {
          const agents = new AgentService(storage.agents, storage.series, storage.samples, keys, new LocalEventBus(), systemClock);
          const existing = await storage.agents.getByName(agentName);
          const label = (values['name'] as string | undefined) ?? `ingest key for ${agentName}`;
          const created = existing ? await keys.createAgentKey(existing.id, label, 'cli') : (await agents.enroll(agentName, 'cli')).key;
          await audit.record({ actor: 'cli', action: 'key.create', target: `agent-key:${created.record.id}`, outcome: 'success', details: { kind: 'agent', agent: agentName } });
          ctx.print(`Ingest key for agent "${agentName}" (shown once, store it safely):\n${created.secret}\n\nRun on that host:\n  vigil agent --server <URL> --key ${created.secret}`);
          return 0;
        }
        const user = await storage.users.getByUsername(userName as string);
        if (!user) return usageError(ctx, `no user "${userName}"`);
        const scopes = (values['scopes'] as string[] | undefined) ?? [];
        const unknown = scopes.filter((s) => !(PERMISSIONS as readonly string[]).includes(s));
        if (unknown.length) return usageError(ctx, `unknown scope(s): ${unknown.join(', ')}`);
        const expires = values['expires'] as number | undefined;
        const created = await keys.createUserToken(user.id, (values['name'] as string | undefined) ?? 'cli token', scopes, expires ? Date.now() + expires : null, 'cli');
        await audit.record({ actor: 'cli', action: 'key.create', target: `user-token:${created.record.id}`, outcome: 'success', details: { kind: 'user', user: user.username, scopes } });
        ctx.print(`Token for "${user.username}"${scopes.length ? ` limited to ${scopes.join(', ')}` : ''} (shown once):\n${created.secret}\n\nUse it as:  Authorization: Bearer ${created.secret}`);
        return 0;
      }
      if (action === 'list') {
        for (const k of await keys.list()) {
          const state = k.revokedAt ? 'revoked' : k.expiresAt !== null && k.expiresAt <= Date.now() ? 'expired' : 'active';
          ctx.print(`${k.id}  ${k.kind.padEnd(5)}  ${k.prefix}…  ${k.name}  ${state}  last used: ${k.lastUsedAt ? new Date(k.lastUsedAt).toISOString() : 'never'}`);
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
