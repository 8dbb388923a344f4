import type { Command } from '../../options/command.js';
import { builtinRuleTypes } from './rule-types/builtin-rule-types.js';
import { runRuleTestFile } from './rule-test-file.js';

/**
 * `vigil rules test FILE...`: unit tests for alert rules against given series, like
 * `promtool test rules`. Exit code 0 when every test passes, 1 on failures, 2 on usage errors.
 */
export const rulesCommand: Command = {
  name: 'rules',
  summary: 'Test alert rules against given series (vigil rules test FILE...).',
  usage: 'vigil rules test FILE...',
  specs: [],
  async run(_values, positionals, ctx) {
    const [sub, ...files] = positionals;
    if (sub !== 'test' || files.length === 0) {
      ctx.print('usage: vigil rules test FILE...\n\nRuns rule unit tests (see docs/alerting.md, "vigil rules test").');
      return 2;
    }
    const registry = builtinRuleTypes();
    let failed = false;
    for (const file of files) {
      ctx.print(`Unit testing: ${file}`);
      try {
        const r = await runRuleTestFile(file, registry);
        if (r.failures.length === 0) ctx.print(`  SUCCESS (${r.tests} test${r.tests === 1 ? '' : 's'})`);
        else {
          failed = true;
          ctx.print(`  FAILED (${r.failures.length} of ${r.tests} test${r.tests === 1 ? '' : 's'} with problems):`);
          for (const f of r.failures) ctx.print(`    ${f.test}: ${f.message}`);
        }
      } catch (err) {
        failed = true;
        ctx.print(`  FAILED: ${(err as Error).message}`);
      }
    }
    return failed ? 1 : 0;
  },
};
