import type { Command } from '../options/command.js';
import { SERVER_OPTIONS } from './config/server-options.js';
import { systemClock } from './core/clock.js';
import { formatFindings, runDoctor } from './doctor/doctor.js';
import { openOfflineStorage } from './offline-storage.js';

/**
 * `vigil doctor [server options]`: reads the same configuration as `vigil server` (flags, VIGIL_*
 * variables, config file) and the data directory, prints findings by severity, and exits 1 when
 * any is high (so it can gate a deployment).
 */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check the configuration and data for security problems.',
  usage: 'vigil doctor [--config FILE] [server options] [--json]',
  specs: [...SERVER_OPTIONS, { name: 'json', kind: 'bool', default: false, description: 'Print the findings as JSON.' }],
  async run(values, _positionals, ctx) {
    const { storage, config } = await openOfflineStorage(values);
    try {
      const findings = await runDoctor(config, storage, systemClock);
      ctx.print(values['json'] ? JSON.stringify({ findings }, null, 2) : formatFindings(findings));
      return findings.some((f) => f.severity === 'high') ? 1 : 0;
    } finally {
      await storage.close();
    }
  },
};
