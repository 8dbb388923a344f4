import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Prometheus text endpoint per target (`/t/<i>`) with `seriesPerTarget` changing series. */
export interface SyntheticExporter {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `targets` endpoints of `seriesPerTarget` gauges and counters. Eight bodies per target are
 * rendered up front and served in turn, so the exporter's own CPU stays small next to the scraper's.
 */
export async function startSyntheticExporter(targets: number, seriesPerTarget: number): Promise<SyntheticExporter> {
  const variants = Array.from({ length: targets }, (_, t) =>
    Array.from({ length: 8 }, (_, v) => {
      const lines: string[] = [];
      for (let s = 0; s < seriesPerTarget; s++) {
        const value = s % 2 === 0 ? (s * 13 + v * 7) % 100 : s * 1000 + v * (s % 17);
        lines.push(`bench_metric_${s % 50}{target="${t}",idx="${s}"} ${value}`);
      }
      return `${lines.join('\n')}\n`;
    }),
  );
  const served = new Array<number>(targets).fill(0);
  const server: Server = createServer((req, res) => {
    const m = /^\/t\/(\d+)$/.exec(req.url ?? '');
    const t = m ? Number(m[1]) : -1;
    const bodies = variants[t];
    if (!bodies) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(bodies[served[t]!++ % bodies.length]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
