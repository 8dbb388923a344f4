import { randomUUID } from 'node:crypto';
import type { AgentDetail, AgentView, HostCurrent } from '../../protocol/agents.js';
import type { AgentHello } from '../../protocol/ingest.js';
import type { CreatedKey } from '../auth/api-key-service.js';
import type { ApiKeyService } from '../auth/api-key-service.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { EventBus } from '../live/event-bus.js';
import { AGENT_UPDATED } from '../live/live-events.js';
import type { AgentRecord, AgentRepo } from '../storage/agent-repo.js';
import type { SampleStore } from '../storage/sample-store.js';
import type { SeriesIndex } from '../storage/series-index.js';
import { agentStatus } from './agent-status.js';

/** Agent names double as the `host` label: same rules as a hostname-ish label value. */
const AGENT_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;

/** Headline metrics shown on the overview (see docs/metrics.md). */
const HEADLINE = {
  cpuPercent: { metric: 'cpu_usage_percent', labels: { cpu: 'total' } },
  memoryPercent: { metric: 'memory_usage_percent', labels: {} },
  load1: { metric: 'load1', labels: {} },
} as const;

/** Agents: enrollment (agent + ingest key), registration facts, and the overview view. */
export class AgentService {
  constructor(
    private readonly agents: AgentRepo,
    private readonly series: SeriesIndex,
    private readonly samples: SampleStore,
    private readonly keys: ApiKeyService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  /** Creates an agent named `name` and its ingest key (secret returned once). */
  async enroll(name: string, createdBy: string | null): Promise<{ agent: AgentRecord; key: CreatedKey }> {
    if (!AGENT_NAME_RE.test(name)) throw errors.validation('agent name must be 1-100 characters of letters, digits, ".", "_" or "-", starting with a letter or digit');
    if (await this.agents.getByName(name)) throw errors.conflict(`agent "${name}" already exists`);
    const id = randomUUID();
    await this.agents.create({ id, name, createdAt: this.clock.now() });
    const key = await this.keys.createAgentKey(id, `ingest key for ${name}`, createdBy);
    return { agent: (await this.agents.get(id)) as AgentRecord, key };
  }

  /** Stores what an agent reports about its host. */
  async register(agentId: string, hello: AgentHello): Promise<AgentRecord> {
    await this.agents.register(agentId, hello, this.clock.now());
    this.bus.publish({ type: AGENT_UPDATED, data: { agentId } });
    const agent = await this.agents.get(agentId);
    if (!agent) throw errors.notFound('agent');
    return agent;
  }

  async get(id: string): Promise<AgentRecord | null> {
    return this.agents.get(id);
  }

  /** All agents as overview rows with status and headline numbers. */
  async list(): Promise<AgentView[]> {
    const records = await this.agents.list();
    return Promise.all(records.map((r) => this.view(r)));
  }

  /** One agent with its latest top-processes snapshot. */
  async detail(id: string): Promise<AgentDetail> {
    const r = await this.agents.get(id);
    if (!r) throw errors.notFound('agent');
    return { ...(await this.view(r)), processes: await this.agents.getProcesses(id) };
  }

  /** The overview row of one agent. */
  async view(r: AgentRecord): Promise<AgentView> {
    const now = this.clock.now();
    return {
      id: r.id,
      name: r.name,
      hostname: r.hostname,
      os: r.os,
      osRelease: r.osRelease,
      kernel: r.kernel,
      arch: r.arch,
      agentVersion: r.agentVersion,
      intervalMs: r.intervalMs,
      cpuCount: r.cpuCount,
      memoryBytes: r.memoryBytes,
      bootTime: r.bootTime,
      capabilities: r.capabilities,
      unavailable: r.unavailable,
      createdAt: r.createdAt,
      lastSeen: r.lastSeen,
      status: agentStatus(r.lastSeen, r.intervalMs, now),
      current: await this.current(r.name),
      droppedSamples: r.droppedSamples,
      lastError: r.lastError,
    };
  }

  private async current(host: string): Promise<HostCurrent> {
    const select = (metric: string, labels: Record<string, string>) => ({
      metric,
      matchers: [{ name: 'host', op: '=' as const, value: host }, ...Object.entries(labels).map(([name, value]) => ({ name, op: '=' as const, value }))],
    });
    const [cpu, mem, load, disks] = await Promise.all([
      this.series.select(select(HEADLINE.cpuPercent.metric, HEADLINE.cpuPercent.labels), 1),
      this.series.select(select(HEADLINE.memoryPercent.metric, {}), 1),
      this.series.select(select(HEADLINE.load1.metric, {}), 1),
      this.series.select(select('filesystem_usage_percent', {}), 100),
    ]);
    const ids = [...cpu.series, ...mem.series, ...load.series, ...disks.series].map((s) => s.id);
    const latest = await this.samples.latest(ids);
    const val = (id: number | undefined) => (id === undefined ? null : (latest.get(id)?.value ?? null));
    const diskValues = disks.series.map((s) => val(s.id)).filter((v): v is number => v !== null);
    return {
      cpuPercent: val(cpu.series[0]?.id),
      memoryPercent: val(mem.series[0]?.id),
      load1: val(load.series[0]?.id),
      diskPercent: diskValues.length ? Math.max(...diskValues) : null,
    };
  }
}
