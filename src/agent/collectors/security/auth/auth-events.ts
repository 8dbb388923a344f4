import type { SecurityEventInput } from '../../../../protocol/security.js';
import { securityEvent } from '../security-event.js';
import type { AuthFinding } from './parse-auth-line.js';

/** Most events one log line may turn into ("message repeated N times" is capped there too). */
const MAX_EVENTS_PER_LINE = 100;

/**
 * Security events of one parsed auth line, with the MITRE mapping of docs/agent.md:
 * - sshd password / keyboard-interactive failures → `auth_failure` medium, T1110.001 (password
 *   guessing); other methods (publickey…) → T1110; `Invalid user` → `auth_failure` low, T1110
 *   (`reason: invalid_user`; the attempt's own `Failed …` line, when there is one, counts too);
 * - sshd `Accepted …` → `auth_success` low, T1078 (valid accounts: worth a look in bulk only);
 * - sudo authentication failures → `auth_failure` medium, T1548.003 (sudo and sudo caching);
 *   a user not allowed to run sudo → `privilege_escalation` high, T1548.003.
 * Lines of one sshd/sudo process share a `correlation_id` (`<program>:<host>:<pid>`).
 */
export function authEvents(f: AuthFinding, source: string, readAt: number): SecurityEventInput[] {
  const ts = f.ts ?? readAt;
  const meta: Record<string, unknown> = { user: f.user, src_ip: f.srcIp, port: f.port, method: f.method, program: f.program };
  if (f.pid !== null) meta.pid = f.pid;
  if (f.host) meta.log_host = f.host;
  if (f.count > 1) meta.repeated = f.count;
  if (f.invalidUser) meta.invalid_user = true;
  if (f.invoker) meta.invoker = f.invoker;
  if (f.command) meta.command = f.command;
  if (f.attempts !== undefined) meta.attempts = f.attempts;
  const correlationId = f.pid !== null ? `${f.program}:${f.host ?? ''}:${f.pid}` : undefined;
  const from = f.srcIp ? ` from ${f.srcIp}${f.port !== null ? ` port ${f.port}` : ''}` : '';
  const one = (): SecurityEventInput | null => {
    switch (f.kind) {
      case 'ssh_failed': {
        const guess = f.method === 'password' || f.method === 'keyboard-interactive/pam';
        return securityEvent({ type: 'auth_failure', severity: 'medium', ts, source, mitre: guess ? 'T1110.001' : 'T1110', correlationId, metadata: meta, description: `SSH ${f.method ?? ''} authentication failed for ${f.invalidUser ? 'invalid user ' : ''}${f.user ?? '?'}${from}` });
      }
      case 'ssh_invalid_user':
        return securityEvent({ type: 'auth_failure', severity: 'low', ts, source, mitre: 'T1110', correlationId, metadata: { ...meta, reason: 'invalid_user' }, description: `SSH login attempt for unknown user ${f.user ?? '?'}${from}` });
      case 'ssh_accepted':
        return securityEvent({ type: 'auth_success', severity: 'low', ts, source, mitre: 'T1078', correlationId, metadata: meta, description: `SSH login accepted (${f.method ?? '?'}) for ${f.user ?? '?'}${from}` });
      case 'sudo_auth_failure':
        return securityEvent({ type: 'auth_failure', severity: 'medium', ts, source, mitre: 'T1548.003', correlationId, metadata: meta, description: `sudo authentication failed for ${f.invoker ?? f.user ?? '?'}` });
      case 'sudo_incorrect_password':
        return securityEvent({ type: 'auth_failure', severity: 'medium', ts, source, mitre: 'T1548.003', correlationId, metadata: meta, description: `sudo: ${f.attempts ?? '?'} incorrect password attempts by ${f.invoker ?? '?'}${f.command ? ` for ${f.command}` : ''}` });
      case 'sudo_not_allowed':
        return securityEvent({ type: 'privilege_escalation', severity: 'high', ts, source, mitre: 'T1548.003', correlationId, metadata: meta, description: `sudo refused ${f.invoker ?? '?'}: not allowed${f.command ? ` to run ${f.command}` : ''}` });
    }
  };
  const out: SecurityEventInput[] = [];
  for (let i = 0; i < Math.min(f.count, MAX_EVENTS_PER_LINE); i++) {
    const e = one();
    if (e) out.push(e);
  }
  return out;
}
