import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSelector } from '../../src/protocol/selector.js';
import { systemClock } from '../../src/server/core/clock.js';
import { openSqliteStorage } from '../../src/server/storage/sqlite/open-sqlite-storage.js';
import { enrollAgent, eventually, freePort, login, spawnVigil, startServer, type VigilProcess } from '../support/processes.js';

interface QueryResult {
  timestamps: number[];
  series: { labels: Record<string, string>; values: (number | null)[] }[];
}

/** Raw timestamps of `uptime_seconds` for the host, read through the query API at 1 s resolution. */
async function uptimeTimestamps(url: string, cookie: string, host: string, since: number): Promise<number[]> {
  const q = encodeURIComponent(`uptime_seconds{host="${host}"}`);
  const res = await fetch(`${url}/api/v1/query?query=${q}&start=${since}&end=${Date.now() + 1000}&step=1s&agg=count`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`query ${res.status}`);
  const body = (await res.json()) as QueryResult;
  const values = body.series[0]?.values ?? [];
  const out: number[] = [];
  values.forEach((v, i) => {
    for (let k = 0; k < (v ?? 0); k++) out.push(body.timestamps[i] as number);
  });
  return out;
}

describe('server + agent as real processes', () => {
  const dirs: string[] = [];
  const procs: VigilProcess[] = [];
  after(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('keeps every sample without gap or duplicate across a kill -9 and restart of the server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-it-server-'));
    const agentDir = mkdtempSync(join(tmpdir(), 'vigil-it-agent-'));
    dirs.push(dataDir, agentDir);
    const port = await freePort();
    let server = await startServer(dataDir, port, { VIGIL_DURABILITY: 'P' });
    procs.push(server);
    const cookie = await login(server.url);
    const key = await enrollAgent(server.url, cookie, 'it-host');
    const started = Date.now() - 1000;
    const agent = spawnVigil(['agent', '--server', server.url, '--interval', '1s', '--data-dir', agentDir], { VIGIL_KEY: key });
    procs.push(agent);
    await eventually(async () => (await uptimeTimestamps(server.url, cookie, 'it-host', started)).length >= 3, 30_000, 'first samples');

    assert.equal(await server.kill('SIGKILL'), null);
    await new Promise((r) => setTimeout(r, 4000));
    server = await startServer(dataDir, port, { VIGIL_DURABILITY: 'P' });
    procs.push(server);
    const cookie2 = await login(server.url);
    const resumedAt = Date.now();
    await eventually(async () => {
      const ts = await uptimeTimestamps(server.url, cookie2, 'it-host', started);
      return ts.length > 0 && (ts.at(-1) as number) > resumedAt + 2000;
    }, 30_000, 'backlog drained and live data flowing');
    await agent.kill('SIGTERM');
    await server.kill('SIGTERM');

    // Read what was stored through the storage interface itself: exact timestamps, any engine.
    const storage = await openSqliteStorage({ dataDir, clock: systemClock });
    const { series } = await storage.series.select(parseSelector('uptime_seconds{host="it-host"}'), 1);
    const raw = await storage.samples.readRaw([series[0]!.id], 0, Date.now() + 60_000);
    await storage.close();
    const ts = raw.get(series[0]!.id)!.ts;
    assert.equal(new Set(ts).size, ts.length, 'no duplicate timestamps');
    const gaps = ts.slice(1).map((t, i) => t - (ts[i] as number));
    assert.ok(Math.max(...gaps) <= 2000, `largest gap ${Math.max(...gaps)} ms across the outage (samples: ${ts.length})`);
    assert.ok(ts.length >= 8, `expected at least 8 samples, got ${ts.length}`);
  });
});
