import { point, type Collector, type CollectorFactory, type CollectResult } from '../../collector.js';

/** Spool figures the agent reports about itself. */
export interface SpoolFigures {
  /** Bytes of batches waiting on disk. */
  spoolBytes: number;
  /** Samples dropped by the spool drop policy since the agent first started (monotonic). */
  droppedSamples: number;
}

/**
 * The agent's own health: CPU (% of one core since the previous tick), resident memory, spool
 * size and dropped samples. Available on every platform (it only asks Node about itself).
 */
export class AgentSelfCollector implements Collector {
  readonly name = 'agent';
  private lastCpu = process.cpuUsage();
  private lastAt: number | null = null;

  constructor(private readonly spool: () => SpoolFigures) {}

  init(): void {
    this.lastCpu = process.cpuUsage();
    this.lastAt = null;
  }

  collect(now: number): CollectResult {
    const cpu = process.cpuUsage();
    const series = [point('vigil_agent_rss_bytes', process.memoryUsage.rss(), now)];
    if (this.lastAt !== null && now > this.lastAt) {
      const usedUs = cpu.user - this.lastCpu.user + (cpu.system - this.lastCpu.system);
      series.push(point('vigil_agent_cpu_percent', (usedUs / 1000 / (now - this.lastAt)) * 100, now));
    }
    this.lastCpu = cpu;
    this.lastAt = now;
    const s = this.spool();
    series.push(point('vigil_agent_spool_bytes', s.spoolBytes, now), point('vigil_agent_dropped_samples_total', s.droppedSamples, now));
    return { series };
  }

  close(): void {}
}

/** Factory of the `agent` collector, reading spool figures through `spool`. */
export function agentSelfCollectorFactory(spool: () => SpoolFigures): CollectorFactory {
  return {
    name: 'agent',
    description: "The agent's own CPU, memory, spool size and dropped samples",
    create: () => new AgentSelfCollector(spool),
    unavailableReason: () => null,
  };
}
