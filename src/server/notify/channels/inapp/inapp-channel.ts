import { ROLES } from '../../../storage/user-repo.js';
import type { ChannelType } from '../../channel-type.js';
import { ConfigReader } from '../../config-reader.js';
import { render } from '../../template/render-template.js';
import { DEFAULT_TEXT_TEMPLATE, templateData } from '../../template-data.js';

/** Validated in-app settings: who gets it (user ids and/or every user of some roles). */
export interface InAppConfig {
  users: string[];
  roles: string[];
}

/** The in-app notification center: an inbox entry per user, pushed live over WebSocket. */
export const inAppChannel: ChannelType<InAppConfig> = {
  type: 'inapp',
  title: 'In-app notification center',
  secretFields: [],
  requiredSecrets: [],
  validate(config) {
    const c = new ConfigReader(config, 'config', ['users', 'roles']);
    const roles = c.strings('roles', 4);
    if (roles.some((r) => !(ROLES as readonly string[]).includes(r))) c.fail('roles', `must be among ${ROLES.join(', ')}`);
    const users = c.strings('users');
    if (users.length === 0 && roles.length === 0) c.fail('users', 'or config.roles must name at least one recipient');
    return { users, roles };
  },
  publicConfig: (c) => ({ users: c.users, roles: c.roles }),
  personal: { needsBase: false, configure: (_base, userId) => ({ users: [userId], roles: [] }) },
  async send(batch, config, ctx) {
    const body = render(DEFAULT_TEXT_TEMPLATE, templateData(batch), 'text').slice(0, 4000);
    await ctx.deliverInApp(config.users, config.roles, { alertId: batch.alerts[0]?.id ?? null, notificationId: batch.notificationId, severity: batch.severity, kind: batch.kind, title: batch.title, body });
    return { kind: 'ok' };
  },
};
