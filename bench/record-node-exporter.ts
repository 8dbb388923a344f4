/**
 * Records a replayable fixture of node_exporter scrapes: `node --import tsx
 * bench/record-node-exporter.ts <url> <seconds> <out.json.gz>` scrapes `url` once per second
 * (timestamps = scrape start, ms, so they carry real jitter) and writes
 * `{source, intervalMs, series: string[], ts: number[], values: (number|string|null)[][]}` gzipped, where
 * `values[i][j]` is series j at scrape i (null when absent; NaN and ±Inf as "NaN", "+Inf", "-Inf").
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseExposition } from './parse-exposition.js';

const [url, secondsArg, outPath] = process.argv.slice(2);
if (!url || !secondsArg || !outPath) {
  console.error('usage: record-node-exporter.ts <url> <seconds> <out.json.gz>');
  process.exit(2);
}
const seconds = Number(secondsArg);
const keys = new Map<string, number>();
const ts: number[] = [];
const rows: Map<number, number>[] = [];
let next = Math.ceil(Date.now() / 1000) * 1000;
for (let i = 0; i < seconds; i++) {
  await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  const started = Date.now();
  const text = await (await fetch(url)).text();
  const row = new Map<number, number>();
  for (const [key, value] of parseExposition(text)) {
    let id = keys.get(key);
    if (id === undefined) keys.set(key, (id = keys.size));
    row.set(id, value);
  }
  ts.push(started);
  rows.push(row);
  next += 1000;
}
const values = rows.map((row) => Array.from({ length: keys.size }, (_, j) => {
  const v = row.get(j);
  if (v === undefined) return null;
  // JSON has no NaN/Infinity: keep them as the exposition spells them.
  return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}));
const body = JSON.stringify({ source: url, intervalMs: 1000, series: [...keys.keys()], ts, values });
writeFileSync(outPath, gzipSync(body, { level: 9 }));
console.log(`${ts.length} scrapes × ${keys.size} series → ${outPath}`);
