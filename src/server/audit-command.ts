import type { Command } from '../options/command.js';
import type { OptionSpec } from '../options/option-spec.js';
import { auditCsvHeader, auditCsvRow } from './auth/audit-export.js';
import { AuditLog } from './auth/audit-log.js';
import { systemClock } from './core/clock.js';
import { DATA_DIR_OPTIONS, openOfflineStorage } from './offline-storage.js';

const AUDIT_OPTIONS: readonly OptionSpec[] = [
  ...DATA_DIR_OPTIONS,
  { name: 'format', kind: 'enum', choices: ['json', 'csv'], default: 'json', description: 'export: output format (CSV cells are defused against spreadsheet formulas).' },
];

/**
 * `vigil audit verify` re-computes the hash chain of the audit log (exit 1 and the first broken
 * entry when it was altered); `vigil audit export [--format csv]` writes every entry, oldest
 * first, to standard output.
 */
export const auditCommand: Command = {
  name: 'audit',
  summary: 'Verify the audit log hash chain or export it.',
  usage: 'vigil audit verify | vigil audit export [--format json|csv]',
  specs: AUDIT_OPTIONS,
  async run(values, positionals, ctx) {
    const { storage } = await openOfflineStorage(values);
    try {
      const [action] = positionals;
      if (action === 'verify') {
        const { checked, brokenAt } = await new AuditLog(storage.audit, systemClock).verify();
        if (brokenAt === null) {
          ctx.print(`audit log intact: ${checked} entries, hash chain verified`);
          return 0;
        }
        ctx.print(`AUDIT LOG ALTERED: entry ${brokenAt} does not match the hash chain (${checked} entries before it are intact)`);
        return 1;
      }
      if (action === 'export') {
        const csv = values['format'] === 'csv';
        const out: string[] = [csv ? auditCsvHeader() : '['];
        let after = 0;
        let first = true;
        for (;;) {
          const page = await storage.audit.scan(after, 1000);
          if (page.length === 0) break;
          for (const e of page) {
            out.push(csv ? auditCsvRow(e) : `${first ? '' : ','}\n${JSON.stringify(e)}`);
            first = false;
            after = e.id;
          }
          process.stdout.write(out.join(''));
          out.length = 0;
        }
        process.stdout.write(out.join('') + (csv ? '' : '\n]\n'));
        return 0;
      }
      ctx.print(`usage: ${auditCommand.usage}`);
      return 2;
    } finally {
      await storage.close();
    }
  },
};
