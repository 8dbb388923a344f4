import type { CollectorFactory } from '../../collector.js';
import type { SecurityOptions } from '../../agent-options.js';
import { authLogCollectorFactory } from './auth/auth-log-collector.js';
import { fimCollectorFactory } from './fim/fim-collector.js';
import { portsCollectorFactory } from './ports/ports-collector.js';
import { suspiciousProcessesCollectorFactory } from './suspicious-processes/suspicious-processes-collector.js';

/** The security collectors (issue 6), configured from the agent options; none when `--no-security`. */
export function securityCollectorFactories(o: SecurityOptions): CollectorFactory[] {
  if (!o.enabled) return [];
  return [
    authLogCollectorFactory({ source: o.authLog, startAt: o.authLogStart }),
    portsCollectorFactory(o.portsIntervalMs),
    fimCollectorFactory({ paths: o.fimPaths, exclude: o.fimExclude, intervalMs: o.fimIntervalMs, maxFiles: o.fimMaxFiles, maxFileBytes: o.fimMaxFileBytes, watch: o.fimWatch }),
    suspiciousProcessesCollectorFactory(o.suspiciousProcessesIntervalMs),
  ];
}
