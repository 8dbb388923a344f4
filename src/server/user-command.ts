import type { Command, CommandContext } from '../options/command.js';
import type { OptionSpec } from '../options/option-spec.js';
import { AuditLog } from './auth/audit-log.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { SessionService } from './auth/session-service.js';
import { randomToken } from './auth/token-hash.js';
import { UserService } from './auth/user-service.js';
import { systemClock } from './core/clock.js';
import { VigilError } from './core/errors.js';
import { DATA_DIR_OPTIONS, openOfflineStorage } from './offline-storage.js';
import { ROLES, type Role } from './storage/user-repo.js';

const USER_OPTIONS: readonly OptionSpec[] = [
  ...DATA_DIR_OPTIONS,
  { name: 'role', kind: 'enum', choices: ROLES, description: 'add: role of the new user (admin, operator, viewer, guest).' },
  { name: 'password-stdin', kind: 'bool', default: false, description: 'add/passwd: read the password from the first line of standard input (default: generate one and print it once).' },
];

/** Reads the first line of standard input (the password), at most 4 KiB. */
async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').slice(0, 4096);
}

async function choosePassword(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  return fromStdin ? { password: await readStdinLine(), generated: false } : { password: randomToken(15), generated: true };
}

function fail(ctx: CommandContext, message: string, code = 1): number {
  ctx.print(`vigil user: ${message}`);
  return code;
}

/**
 * `vigil user add|passwd|role|disable|enable|list` — user administration on the server host,
 * without the dashboard (e.g. to recover a lost admin password). Every change is audited with
 * actor `cli`. Passwords never go on the command line (visible in `ps`): they come from stdin
 * or are generated and printed once.
 */
export const userCommand: Command = {
  name: 'user',
  summary: 'Add users, set passwords and roles, disable or list users.',
  usage: 'vigil user add NAME --role ROLE [--password-stdin] | passwd NAME [--password-stdin] | role NAME ROLE | disable NAME | enable NAME | list',
  specs: USER_OPTIONS,
  async run(values, positionals, ctx) {
    const { storage, config } = await openOfflineStorage(values);
    try {
      const users = new UserService(storage.users, new PasswordHasher({ logN: config.scryptLogN, concurrency: 1 }), systemClock);
      const sessions = new SessionService(storage.sessions, storage.users, systemClock);
      const audit = new AuditLog(storage.audit, systemClock);
      const record = (action: string, target: string, details?: Record<string, unknown>) => audit.record({ actor: 'cli', action, target: `user:${target}`, outcome: 'success', details: details ?? null });
      const [action, name, arg] = positionals;
      const find = async () => {
        const u = name ? await storage.users.getByUsername(name) : null;
        if (!u) throw new VigilError('VIGIL_ERR_NOT_FOUND', `no user "${name ?? ''}"`);
        return u;
      };
      switch (action) {
        case 'list':
          for (const u of await users.list()) ctx.print(`${u.username.padEnd(24)} ${u.role.padEnd(9)} ${u.disabled ? 'disabled' : 'active  '} ${u.source}${u.totpEnabled ? ' 2fa' : ''}`);
          return 0;
        case 'add': {
          const role = values['role'] as Role | undefined;
          if (!name || !role) return fail(ctx, 'usage: vigil user add NAME --role ROLE [--password-stdin]', 2);
          const { password, generated } = await choosePassword(values['password-stdin'] === true);
          await users.create(name, password, role);
          await record('user.create', name, { role });
          ctx.print(generated ? `User "${name}" (${role}) created. Password (shown once):\n${password}` : `User "${name}" (${role}) created.`);
          return 0;
        }
        case 'passwd': {
          const u = await find();
          const { password, generated } = await choosePassword(values['password-stdin'] === true);
          await users.setPassword(u.id, password);
          await sessions.destroyAllForUser(u.id);
          await record('user.password_reset', u.username);
          ctx.print(generated ? `New password for "${u.username}" (shown once; their sessions were ended):\n${password}` : `Password of "${u.username}" changed; their sessions were ended.`);
          return 0;
        }
        case 'role': {
          const u = await find();
          if (!arg || !ROLES.includes(arg as Role)) return fail(ctx, `usage: vigil user role NAME ${ROLES.join('|')}`, 2);
          await users.setRole(u.id, arg as Role);
          await record('user.role_change', u.username, { from: u.role, to: arg });
          ctx.print(`"${u.username}" is now ${arg}.`);
          return 0;
        }
        case 'disable':
        case 'enable': {
          const u = await find();
          await users.setDisabled(u.id, action === 'disable');
          if (action === 'disable') await sessions.destroyAllForUser(u.id);
          await record(`user.${action}`, u.username);
          ctx.print(`"${u.username}" ${action}d.`);
          return 0;
        }
        default:
          return fail(ctx, `usage: ${userCommand.usage}`, 2);
      }
    } catch (err) {
      if (err instanceof VigilError) return fail(ctx, err.message);
      throw err;
    } finally {
      await storage.close();
    }
  },
};

