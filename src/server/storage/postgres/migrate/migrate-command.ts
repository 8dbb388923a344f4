import { resolve } from 'node:path';
import type { Command } from '../../../../options/command.js';
import type { OptionSpec } from '../../../../options/option-spec.js';
import { isPostgresUrl, redactDatabaseUrl } from '../../../config/database-url.js';
import { migrateSqliteToPg, MigrateRefused, type MigrateReport } from './migrate-sqlite-to-pg.js';
import { progressSink } from './migration-progress.js';

const MIGRATE_OPTIONS: readonly OptionSpec[] = [
  { name: 'from', kind: 'string', required: true, env: 'VIGIL_MIGRATE_FROM', description: 'Source: sqlite:PATH of vigil.db (its tsdb.db next to it is copied too), e.g. sqlite:./data/vigil.db. Stop the server that uses it first.' },
  { name: 'to', kind: 'string', required: true, secret: true, env: 'VIGIL_MIGRATE_TO', description: 'Target: postgres://user:password@host:5432/database (migrations are applied there).' },
  { name: 'to-schema', kind: 'string', env: 'VIGIL_MIGRATE_TO_SCHEMA', description: 'Target schema (created when missing). Default: the server default (public).' },
  { name: 'resume', kind: 'bool', default: false, description: 'Continue an interrupted migration; without it a non-empty target is refused.' },
  { name: 'batch-size', kind: 'int', default: 2000, min: 1, max: 100_000, description: 'Rows per batch; each batch is one transaction in the target.' },
];

/** Formats the per-table verification as an aligned table. */
export function formatReport(r: MigrateReport): string {
  const w = Math.max(5, ...r.counts.map((c) => c.table.length));
  const lines = [`${'table'.padEnd(w)}  ${'source'.padStart(10)}  ${'target'.padStart(10)}`];
  for (const c of r.counts) lines.push(`${c.table.padEnd(w)}  ${String(c.source).padStart(10)}  ${String(c.target).padStart(10)}${c.source === c.target ? '' : '  MISMATCH'}`);
  lines.push(
    r.audit.brokenAt === null && r.audit.sameHead
      ? `audit log: ${r.audit.checked} entries, hash chain verified on the target, same head as the source`
      : `AUDIT LOG NOT INTACT on the target (broken at ${r.audit.brokenAt ?? '-'}, same head: ${r.audit.sameHead})`,
  );
  lines.push(r.ok ? 'migration complete: every count matches' : 'MIGRATION INCOMPLETE: see the mismatches above');
  return lines.join('\n');
}

/**
 * `vigil migrate --from sqlite:./data/vigil.db --to postgres://…`: copies everything into
 * PostgreSQL in resumable batches with a progress bar, then prints the verification per table.
 * Exit 0 when every count matches and the audit chain verifies, 1 otherwise, 2 on bad input.
 */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Copy a SQLite data directory into PostgreSQL (resumable, verified).',
  usage: 'vigil migrate --from sqlite:./data/vigil.db --to postgres://user:pass@host/db [--to-schema S] [--resume]',
  specs: MIGRATE_OPTIONS,
  async run(values, _positionals, ctx) {
    const from = values['from'] as string;
    const to = values['to'] as string;
    if (!from.startsWith('sqlite:')) {
      ctx.print('vigil migrate: --from must be sqlite:PATH (the vigil.db file)');
      return 2;
    }
    if (!isPostgresUrl(to)) {
      ctx.print('vigil migrate: --to must be a postgres:// or postgresql:// URL');
      return 2;
    }
    const schema = values['to-schema'] as string | undefined;
    ctx.print(`migrating ${from} → ${redactDatabaseUrl(to)}${schema ? ` (schema ${schema})` : ''}`);
    try {
      const report = await migrateSqliteToPg({
        from: resolve(from.slice('sqlite:'.length)),
        target: { url: to, ...(schema ? { schema } : {}) },
        resume: values['resume'] as boolean,
        batchRows: values['batch-size'] as number,
        progress: progressSink(process.stdout),
        signal: ctx.signal,
      });
      ctx.print(formatReport(report));
      return report.ok ? 0 : 1;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.print(`vigil migrate: ${err instanceof MigrateRefused ? '' : 'failed: '}${message.split(to).join(redactDatabaseUrl(to))}`);
      return err instanceof MigrateRefused ? 2 : 1;
    }
  },
};
