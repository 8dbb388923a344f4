/**
 * `npm run bench [-- --quick] [-- name-filter...]`: runs every `bench/*.bench.ts` suite, prints
 * one JSON document and a table, and writes `bench/results/<timestamp>.json`.
 * Numbers are only comparable with their peer measured in the same run on the same machine.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure, BenchSuite } from './bench-types.js';

const dir = new URL('.', import.meta.url).pathname;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));

function table(rows: { suite: string; f: BenchFigure }[]): string {
  const head = ['suite', 'figure', 'value', 'unit', 'target', 'peer', 'ratio'];
  const body = rows.map(({ suite, f }) => [
    suite,
    f.name,
    Number.isInteger(f.value) ? String(f.value) : f.value.toPrecision(4),
    f.unit,
    f.target ?? '',
    f.peer ? `${f.peer.name}: ${f.peer.value.toPrecision(4)}` : '',
    f.peer && f.peer.value !== 0 ? (f.value / f.peer.value).toFixed(2) : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const rows: { suite: string; f: BenchFigure }[] = [];
  const failures: { suite: string; error: string }[] = [];
  for (const file of files) {
    const mod = (await import(join(dir, file))) as { suite?: BenchSuite };
    const suite = mod.suite;
    if (!suite || (filters.length && !filters.some((x) => suite.name.includes(x)))) continue;
    const log = (msg: string) => process.stderr.write(`[${suite.name}] ${msg}\n`);
    log(`running${quick ? ' (quick)' : ''}: ${suite.description}`);
    try {
      for (const f of await suite.run({ quick, log })) rows.push({ suite: suite.name, f });
    } catch (err) {
      failures.push({ suite: suite.name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      log(`FAILED: ${String(err)}`);
    }
  }
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    figures: rows.map(({ suite, f }) => ({ suite, ...f })),
    failures,
  };
  mkdirSync(join(dir, 'results'), { recursive: true });
  writeFileSync(join(dir, 'results', `${result.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  console.log(`\n${table(rows)}`);
  if (failures.length) process.exitCode = 1;
}

await main();
