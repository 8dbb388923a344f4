/**
 * Child process of the crash test: runs the workload of `tsdb-workload.ts` from batch `from` to
 * `to` on `<dir>/tsdb.db`, printing `ack <b>` after each batch is acknowledged. When `step` is
 * given it kills itself with SIGKILL at the `nth` occurrence of that engine step.
 *   node --import tsx tsdb-crash-child.ts <dir> <from> <to> [step nth]
 */
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../src/server/core/clock.js';
import { SqliteTsdbPersistence } from '../../src/server/storage/sqlite/sqlite-tsdb-persistence.js';
import { TsdbEngine } from '../../src/server/tsdb/engine/tsdb-engine.js';
import type { TsdbStep } from '../../src/server/tsdb/engine/tsdb-options.js';
import { batch, clockAfter, CRASH_OPTIONS, MAINTAIN_EVERY, T0 } from './tsdb-workload.js';

const [dir, fromArg, toArg, step, nthArg] = process.argv.slice(2);
const from = Number(fromArg);
const to = Number(toArg);
let seen = 0;
const onStep = (s: TsdbStep) => {
  if (s === step && ++seen === Number(nthArg)) process.kill(process.pid, 'SIGKILL');
};
const clock = new ManualClock(from > 0 ? clockAfter(from - 1) : T0);
const engine = await TsdbEngine.open(SqliteTsdbPersistence.open(join(dir as string, 'tsdb.db'), 'D'), clock, { ...CRASH_OPTIONS, onStep });
for (let b = from; b < to; b++) {
  clock.set(clockAfter(b));
  const out = await engine.append(batch(b));
  if (out.some((o) => o !== 'stored' && o !== 'duplicate')) throw new Error(`batch ${b}: ${out.join(',')}`);
  // Written synchronously: an ack printed is an ack the parent sees, even after SIGKILL.
  writeSync(1, `ack ${b}\n`);
  if (b % MAINTAIN_EVERY === MAINTAIN_EVERY - 1) await engine.maintain(clock.now());
}
await engine.close();
writeSync(1, 'done\n');
