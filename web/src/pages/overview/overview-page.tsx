import type { AgentView } from '../../../../src/protocol/agents.js';
import { FreshnessStamp } from '../../components/freshness-stamp.js';
import { Link } from '../../components/link.js';
import { Panel } from '../../components/panel.js';
import { StatusBadge } from '../../components/status-badge.js';
import { Uptime } from '../../components/uptime.js';
import { UsageCell } from '../../components/usage-cell.js';
import { formatCompact } from '../../format/format-value.js';
import { useServices } from '../../hooks/app-services.js';
import { useInterval } from '../../hooks/use-interval.js';
import { useLiveSubscription } from '../../hooks/use-live-subscription.js';
import { useResource } from '../../hooks/use-resource.js';
import { buildPath } from '../../routing/route-pattern.js';
import { countByStatus, describeOs, sortAgents, upsertAgent } from './agent-list.js';

/**
 * The overview refetches the list this often (ms) in addition to live updates: the server pushes
 * a row only when an agent reports, so an agent that went silent changes status (online → stale →
 * offline) only in a fresh answer.
 */
export const OVERVIEW_REFRESH_MS = 15_000;

function AgentRow({ agent }: { agent: AgentView }) {
  const { current } = agent;
  return (
    <tr data-agent-id={agent.id} data-status={agent.status}>
      <th scope="row" class="cell-host">
        <Link href={buildPath('/hosts/:id', { id: agent.id })} class="host-link">
          {agent.name}
        </Link>
        {agent.hostname && agent.hostname !== agent.name ? <span class="cell-sub">{agent.hostname}</span> : null}
      </th>
      <td>
        <StatusBadge status={agent.status} />
      </td>
      <td class="cell-os">{describeOs(agent)}</td>
      <td class="cell-num">
        <Uptime bootTime={agent.bootTime} />
      </td>
      <td>
        <UsageCell percent={current.cpuPercent} />
      </td>
      <td>
        <UsageCell percent={current.memoryPercent} />
      </td>
      <td>
        <UsageCell percent={current.diskPercent} />
      </td>
      <td class="cell-num">{formatCompact(current.load1)}</td>
      <td>
        <FreshnessStamp lastSeen={agent.lastSeen} intervalMs={agent.intervalMs} />
      </td>
    </tr>
  );
}

function AgentTable({ agents }: { agents: AgentView[] }) {
  return (
    <div class="table-scroll">
      <table class="data-table agents-table">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Status</th>
            <th scope="col" class="cell-os">
              OS
            </th>
            <th scope="col" class="cell-num">
              Uptime
            </th>
            <th scope="col">CPU</th>
            <th scope="col">Memory</th>
            <th scope="col">Disk</th>
            <th scope="col" class="cell-num">
              Load
            </th>
            <th scope="col">Freshness</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <AgentRow key={a.id} agent={a} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Summary({ agents }: { agents: AgentView[] }) {
  const c = countByStatus(agents);
  return (
    <p class="page-summary">
      {agents.length} {agents.length === 1 ? 'host' : 'hosts'} · <span class="text-online">{c.online} online</span> · <span class="text-stale">{c.stale} stale</span> ·{' '}
      <span class="text-offline">{c.offline} offline</span>
      {c.never ? <> · {c.never} never seen</> : null}
    </p>
  );
}

/** `/`: every registered agent with status, OS, uptime, headline numbers and freshness. */
export function OverviewPage() {
  const { api } = useServices();
  const agents = useResource((signal) => api.get<{ agents: AgentView[] }>('/api/v1/agents', undefined, signal).then((r) => sortAgents(r.agents)), []);
  useLiveSubscription({ topic: 'agents' }, (msg) => {
    if (msg.type === 'agent') agents.update((list) => upsertAgent(list, msg.agent));
  });
  useInterval(agents.reload, OVERVIEW_REFRESH_MS);
  return (
    <div class="page page-overview">
      <div class="page-head">
        <h1>Overview</h1>
        {agents.data ? <Summary agents={agents.data} /> : null}
      </div>
      <Panel
        id="hosts"
        title="Hosts"
        resource={agents}
        isEmpty={(list) => list.length === 0}
        empty={
          <>
            <p>No agents have registered yet.</p>
            <p class="muted">
              Create a key with <code>vigil key create --agent my-host</code>, then run <code>vigil agent --server URL --key KEY</code> on the host.
            </p>
          </>
        }
      >
        {(list) => <AgentTable agents={list} />}
      </Panel>
    </div>
  );
}
