import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueryResult } from '../../src/protocol/query.js';
import { TEST_PG_URL } from '../../src/server/storage/testing/pg-test-schema.js';
import { createTestCluster, isLeader, sessionCookie } from '../support/cluster.js';
import { needPostgres, needRedis } from '../support/requirements.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { eventually, ProcessApi } from '../support/vigil-process.js';

const skip = (await needPostgres()) || (await needRedis());
const root = new URL('../..', import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ingest(url: string, key: string, ts: number, value: number): Promise<Response> {
  return fetch(`${url}/api/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: 1, series: [{ metric: 'outage_probe', points: [[ts, value]] }] }),
  });
}

describe('two replicas while PostgreSQL goes away and comes back (real processes, real agent)', { skip }, () => {
  it('/ready 503 and ingest 503 + Retry-After on both; the agent buffers; afterwards nothing acknowledged is lost or duplicated', async () => {
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(TEST_PG_URL).port || 5432) });
    const proxied = new URL(TEST_PG_URL);
    proxied.port = String(proxy.port);
    const cluster = await createTestCluster({ VIGIL_DATABASE_URL: proxied.toString(), VIGIL_DATABASE_CONNECT_TIMEOUT: '1s', VIGIL_LEADER_LEASE: '3s' });
    const agentDir = mkdtempSync(join(tmpdir(), 'vigil-agent-'));
    let agent: ReturnType<typeof spawn> | null = null;
    try {
      const a = await cluster.start();
      const b = await cluster.start();
      const replicas = [a.url, b.url];
      const api = await ProcessApi.login(a.url);
      const agentKey = (await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'edge-1' })).key;
      // One probe "agent" per replica: a load balancer keeps an agent on one replica, which owns
      // the time-series head of what it ingests (docs/postgres.md).
      const probeKeys = [(await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'probe-0' })).key, (await api.call<{ key: string }>('POST', '/api/v1/agents', { name: 'probe-1' })).key];
      const agentStart = Date.now();
      agent = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'agent', '--server', a.url, '--interval', '2s', '--data-dir', agentDir, '--collectors', 'load,agent'], {
        cwd: root,
        env: { ...process.env, VIGIL_KEY: agentKey, VIGIL_LOG_LEVEL: 'warn', VIGIL_CONFIG: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      agent.stderr?.resume();
      const sessions = new Map<string, string>();
      for (const url of replicas) sessions.set(url, await sessionCookie(url));
      const query = async (url: string, metric: string, host: string, start: number, end: number) => {
        const cookie = sessions.get(url) as string;
        const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(`${metric}{host="${host}"}`)}&start=${start}&end=${end}&step=1s&agg=last`, { headers: { cookie } });
        const text = await res.text();
        assert.equal(res.status, 200, text);
        return JSON.parse(text) as QueryResult;
      };
      await eventually(async () => (await query(a.url, 'vigil_agent_rss_bytes', 'edge-1', agentStart - 5000, Date.now() + 1000)).stats.samplesScanned >= 2, 30_000, 'the agent delivering');

      // Acknowledged before the outage, alternating replicas.
      const t0 = Math.floor(Date.now() / 1000) * 1000 - 120_000;
      const acked: number[][] = [[], []];
      let n = 0;
      for (; n < 10; n++) {
        const res = await ingest(replicas[n % 2] as string, probeKeys[n % 2] as string, t0 + n * 1000, n);
        assert.equal(res.status, 200, await res.text());
        acked[n % 2]?.push(t0 + n * 1000);
      }

      proxy.block();
      for (const url of replicas) await eventually(async () => (await fetch(`${url}/ready`)).status === 503, 10_000, `${url}/ready → 503`);
      let refused = 0;
      for (const end = Date.now() + 8000; Date.now() < end; n++) {
        const res = await ingest(replicas[n % 2] as string, probeKeys[n % 2] as string, t0 + n * 1000, n);
        if (res.status === 200) acked[n % 2]?.push(t0 + n * 1000);
        else {
          assert.equal(res.status, 503, await res.text());
          assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After on 503');
          refused++;
        }
        await sleep(250);
      }
      assert.ok(refused > 0, 'ingest was refused during the outage');
      proxy.unblock();
      for (const url of replicas) await eventually(async () => (await fetch(`${url}/ready`)).status === 200, 20_000, `${url}/ready → 200`);
      await eventually(async () => (await Promise.all(replicas.map((u) => isLeader(u, sessions.get(u) as string)))).filter(Boolean).length === 1, 15_000, 'one leader again');
      for (const end = n + 5; n < end; n++) {
        const res = await ingest(replicas[n % 2] as string, probeKeys[n % 2] as string, t0 + n * 1000, n);
        assert.equal(res.status, 200, await res.text());
        acked[n % 2]?.push(t0 + n * 1000);
      }

      // The agent drains its spool after the outage: its ticks cover the whole run without a gap.
      const outageEnd = Date.now();
      await eventually(
        async () => {
          const r = await query(a.url, 'vigil_agent_rss_bytes', 'edge-1', agentStart - 5000, Date.now() + 1000);
          const ts = r.timestamps.filter((_, i) => r.series[0]?.values[i] !== null);
          return (ts.at(-1) ?? 0) >= outageEnd;
        },
        45_000,
        'the agent catching up after the outage',
      );
      agent.kill('SIGTERM');
      await new Promise((r) => agent?.once('exit', r));
      agent = null;

      for (const [r, url] of replicas.entries()) {
        const probe = await query(url, 'outage_probe', `probe-${r}`, t0 - 1000, t0 + n * 1000 + 1000);
        const stored = probe.timestamps.filter((_, i) => probe.series[0]?.values[i] !== null);
        const missing = (acked[r] as number[]).filter((ts) => !stored.includes(ts)).map((ts) => (ts - t0) / 1000);
        assert.deepEqual(missing, [], `${url}: acknowledged samples (by index) missing; stored ${stored.length} of ${acked[r]?.length}`);
        assert.equal(probe.stats.samplesScanned, stored.length, `${url}: no sample stored twice`);
        if (r !== 0) continue;
        // The agent pushed to the first replica.
        const ticks = await query(url, 'vigil_agent_rss_bytes', 'edge-1', agentStart - 5000, outageEnd + 1000);
        const tickTs = ticks.timestamps.filter((_, i) => ticks.series[0]?.values[i] !== null);
        assert.equal(ticks.stats.samplesScanned, tickTs.length, `${url}: no agent tick stored twice`);
        assert.ok(tickTs.length >= 8, `agent ticks stored: ${tickTs.length}`);
        const gaps = tickTs.slice(1).map((t, i) => t - (tickTs[i] as number));
        assert.ok(Math.max(...gaps) <= 4500, `${url}: agent ticks without a gap across the outage (largest ${Math.max(...gaps)} ms, ${tickTs.length} ticks)`);
      }
    } finally {
      agent?.kill('SIGKILL');
      await cluster.close();
      await proxy.close();
      rmSync(agentDir, { recursive: true, force: true });
    }
  });
});
