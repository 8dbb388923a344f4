/**
 * Rate limiter overhead: requests/s of the same authenticated endpoint on servers with the
 * limiter off, on (in-memory counters) and on with Redis counters (when Redis answers on
 * 127.0.0.1:6379), measured in the same run with alternating rounds; also reports the size of
 * the route × role matrix the security tests check.
 */
import http from 'node:http';
import net from 'node:net';
import type { BenchFigure, BenchSuite } from './bench-types.js';
import { benchLogin, median, startServerProcess, type ServerProcess } from './support/server-process.js';

// Far above what one run sends (at most the option maxima), so no request is refused.
const HIGH = '1000000';

/** Creates a user token through the API (so requests count in the per-IP `api` group). */
async function token(url: string): Promise<string> {
  const cookie = await benchLogin(url);
  const res = await fetch(`${url}/api/v1/keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'vigil' }, body: JSON.stringify({ kind: 'user', name: 'bench' }) });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { secret: string }).secret;
}

/** Sends GET `path` with `inFlight` keep-alive connections for `ms`; returns completed requests/s. */
async function load(url: string, path: string, auth: string, ms: number, inFlight: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const target = new URL(path, url);
  const end = performance.now() + ms;
  let done = 0;
  let bad = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(target, { agent, headers: { authorization: `Bearer ${auth}` } }, (res) => {
        if (res.statusCode !== 200) bad++;
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await one();
        done++;
      }
    }),
  );
  agent.destroy();
  if (bad > 0) throw new Error(`${bad} non-200 answers during the load (limits too low?)`);
  return done / ((performance.now() - start) / 1000);
}

function redisUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port: 6379 });
    s.setTimeout(500, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Number of routes (HEAD excluded) × the 7 callers of the matrix test. */
async function matrixSize(): Promise<{ routes: number; cells: number }> {
  const { createTestApp } = await import('../src/server/testing/test-app.js');
  const t = await createTestApp();
  try {
    const routes = new Set(t.app.routeTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`)).size;
    return { routes, cells: routes * 7 };
  } finally {
    await t.close();
  }
}

export const suite: BenchSuite = {
  name: 'ratelimit',
  description: 'requests/s with and without the rate limiter (memory and Redis counters), same run; route × role matrix size',
  async run({ quick, log }) {
    const { ensureBuilt } = await import('../scripts/build-if-needed.mjs');
    ensureBuilt({ server: true, web: false });
    const variants: { name: string; env: Record<string, string> }[] = [
      { name: 'off', env: { VIGIL_RATE_LIMIT: 'false' } },
      { name: 'memory', env: { VIGIL_RATE_LIMIT_API: HIGH, VIGIL_RATE_LIMIT_UI: HIGH, VIGIL_RATE_LIMIT_LOGIN: '100000' } },
    ];
    if (await redisUp()) variants.push({ name: 'redis', env: { VIGIL_RATE_LIMIT_API: HIGH, VIGIL_RATE_LIMIT_UI: HIGH, VIGIL_RATE_LIMIT_LOGIN: '100000', VIGIL_REDIS_URL: 'redis://127.0.0.1:6379' } });
    else log('Redis not reachable on 127.0.0.1:6379: skipping the Redis variant');
    const servers: (ServerProcess & { token: string; name: string })[] = [];
    const figures: BenchFigure[] = [];
    try {
      for (const v of variants) {
        const s = await startServerProcess(v.env);
        servers.push({ ...s, token: await token(s.url), name: v.name });
      }
      // Many short alternating rounds: this machine is shared, so the ratio is taken per round
      // (neighbours in time) and the median of those ratios is reported.
      const rounds = quick ? 4 : 12;
      const ms = quick ? 1000 : 1500;
      const inFlight = 16;
      const results = new Map<string, number[]>(variants.map((v) => [v.name, []]));
      for (const s of servers) await load(s.url, '/api/v1/auth/me', s.token, 500, inFlight); // warm-up
      for (let r = 0; r < rounds; r++) {
        // Alternate the order every round so drift on this shared machine hits all variants alike.
        const order = r % 2 === 0 ? servers : [...servers].reverse();
        for (const s of order) {
          const rps = await load(s.url, '/api/v1/auth/me', s.token, ms, inFlight);
          results.get(s.name)!.push(rps);
          log(`round ${r + 1} ${s.name}: ${rps.toFixed(0)} req/s`);
        }
      }
      const offRuns = results.get('off')!;
      const off = median(offRuns);
      figures.push({ name: 'requests_per_s_limiter_off', value: Math.round(off), unit: 'req/s', note: `GET /api/v1/auth/me with a user token, ${inFlight} in flight, median of ${rounds} × ${ms} ms` });
      for (const v of variants.slice(1)) {
        const onRuns = results.get(v.name)!;
        const on = median(onRuns);
        const pairedRatio = median(onRuns.map((x, i) => x / (offRuns[i] as number)));
        figures.push({ name: `requests_per_s_limiter_${v.name}`, value: Math.round(on), unit: 'req/s', peer: { name: 'limiter off', value: Math.round(off) }, note: `median of per-round ratios ${v.name}/off = ${pairedRatio.toFixed(3)} (overhead ${((1 - pairedRatio) * 100).toFixed(1)} %)` });
        figures.push({ name: `limiter_${v.name}_throughput_ratio`, value: Number(pairedRatio.toFixed(3)), unit: 'ratio', target: '>= 0.9', note: 'median over rounds of (req/s with limiter) / (req/s without), measured back to back' });
      }
    } finally {
      for (const s of servers) await s.stop();
    }
    const m = await matrixSize();
    figures.push({ name: 'route_role_matrix_cells', value: m.cells, unit: 'cells', note: `${m.routes} routes × 7 callers (admin, operator, viewer, guest, anonymous, agent key, other agent's key)` });
    return figures;
  },
};
