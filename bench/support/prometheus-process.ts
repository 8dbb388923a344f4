import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExternal, type ExternalProcess } from './external-process.js';
import { freePort, waitForHttp } from './free-port.js';

/** Debian's Prometheus on loopback with its own temp data dir. */
export interface PrometheusProcess extends ExternalProcess {
  url: string;
  dataDir: string;
  /** Sum of every sample of metric `name` on Prometheus's own `/metrics` page (it does not scrape itself). */
  selfMetric(name: string): Promise<number>;
  /** Snapshots the TSDB (head cut into a block) and returns its blocks' figures. */
  snapshot(): Promise<BlockFigures>;
}

/** Sizes and counts of TSDB blocks. */
export interface BlockFigures {
  chunkBytes: number;
  indexBytes: number;
  samples: number;
  series: number;
  chunks: number;
}

/** True when the `prometheus` binary is installed. */
export function hasPrometheus(): boolean {
  try {
    return statSync('/usr/bin/prometheus').isFile();
  } catch {
    return false;
  }
}

/**
 * Starts Prometheus with `scrapeConfigs` (YAML list items under `scrape_configs:`), the admin API
 * (for snapshots) and a long retention (so backfilled blocks stay). `dataDir` may hold backfilled
 * blocks already.
 */
export async function startPrometheus(scrapeConfigs: string, opts: { dataDir?: string; scrapeInterval?: string } = {}): Promise<PrometheusProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-bench-prom-'));
  const port = await freePort();
  const configPath = join(dataDir, 'prometheus.yml');
  writeFileSync(configPath, `global:\n  scrape_interval: ${opts.scrapeInterval ?? '1s'}\n  scrape_timeout: 900ms\nscrape_configs:\n${scrapeConfigs}`);
  const proc = startExternal('/usr/bin/prometheus', [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${join(dataDir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-admin-api',
    '--storage.tsdb.retention.time=3650d',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/-/ready`, 60_000);
  return {
    ...proc,
    url,
    dataDir,
    async selfMetric(name) {
      const text = await (await fetch(`${url}/metrics`)).text();
      let sum = 0;
      for (const line of text.split('\n')) {
        if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return sum;
    },
    async snapshot() {
      const res = await fetch(`${url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' });
      const body = (await res.json()) as { data: { name: string } };
      return blockFigures(join(dataDir, 'tsdb', 'snapshots', body.data.name));
    },
    async stop() {
      await proc.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sums chunk files, index files and meta.json stats of every block directory under `dir`. */
export function blockFigures(dir: string): BlockFigures {
  const f: BlockFigures = { chunkBytes: 0, indexBytes: 0, samples: 0, series: 0, chunks: 0 };
  for (const block of readdirSync(dir)) {
    const b = join(dir, block);
    if (!statSync(b).isDirectory()) continue;
    let meta: { stats?: { numSamples?: number; numSeries?: number; numChunks?: number } };
    try {
      meta = JSON.parse(readFileSync(join(b, 'meta.json'), 'utf8'));
    } catch {
      continue;
    }
    f.samples += meta.stats?.numSamples ?? 0;
    f.series += meta.stats?.numSeries ?? 0;
    f.chunks += meta.stats?.numChunks ?? 0;
    for (const c of readdirSync(join(b, 'chunks'))) f.chunkBytes += statSync(join(b, 'chunks', c)).size;
    f.indexBytes += statSync(join(b, 'index')).size;
  }
  return f;
}
