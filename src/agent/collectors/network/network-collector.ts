import { join } from 'node:path';
import type { SeriesItem } from '../../../protocol/ingest.js';
import { point, type Collector, type CollectorContext, type CollectorFactory, type CollectResult } from '../../collector.js';
import { CounterRates } from '../counter-rates.js';
import { ProcReader } from '../proc-reader.js';
import { linuxOnly } from '../linux-only.js';
import { parseNetDev, type InterfaceCounters } from './parse-net-dev.js';

const FIELDS: [keyof InterfaceCounters, string][] = [
  ['rxBytes', 'network_receive_bytes_per_second'],
  ['txBytes', 'network_transmit_bytes_per_second'],
  ['rxPackets', 'network_receive_packets_per_second'],
  ['txPackets', 'network_transmit_packets_per_second'],
  ['rxErrors', 'network_receive_errors_per_second'],
  ['txErrors', 'network_transmit_errors_per_second'],
];

/** Per-interface network rates from /proc/net/dev (loopback excluded). */
export class NetworkCollector implements Collector {
  readonly name = 'network';
  private readonly reader = new ProcReader();
  private readonly rates = new CounterRates();
  private path = '/proc/net/dev';

  init(ctx: CollectorContext): void {
    this.path = join(ctx.procRoot, 'net', 'dev');
  }

  collect(now: number): CollectResult {
    const series: SeriesItem[] = [];
    this.rates.begin();
    for (const iface of parseNetDev(this.reader.read(this.path))) {
      if (iface.name === 'lo') continue;
      for (const [field, metric] of FIELDS) {
        const r = this.rates.rate(`${iface.name}\u0000${field}`, iface[field] as number, now);
        if (r !== null) series.push(point(metric, r, now, { interface: iface.name }));
      }
    }
    this.rates.sweep();
    return { series };
  }

  close(): void {}
}

/** Factory of the `network` collector (Linux). */
export const networkCollectorFactory: CollectorFactory = {
  name: 'network',
  description: 'Network traffic, packets and errors per interface (/proc/net/dev)',
  create: () => new NetworkCollector(),
  unavailableReason: (ctx) => linuxOnly(ctx, 'net/dev'),
};
