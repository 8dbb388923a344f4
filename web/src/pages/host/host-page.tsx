import '../../styles/predictions.css';
import type { ComponentChildren } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import type { AgentDetail } from '../../../../src/protocol/agents.js';
import type { LiveSeries } from '../../../../src/protocol/live.js';
import { ErrorState } from '../../components/error-state.js';
import { FreshnessStamp } from '../../components/freshness-stamp.js';
import { Link } from '../../components/link.js';
import { Panel } from '../../components/panel.js';
import { StatusBadge } from '../../components/status-badge.js';
import { Uptime } from '../../components/uptime.js';
import { TimeRangePicker } from '../../components/time-range-picker.js';
import { formatBytes, formatCompact, formatSpan } from '../../format/format-value.js';
import { useServices } from '../../hooks/app-services.js';
import { useLiveSubscription } from '../../hooks/use-live-subscription.js';
import { useResource } from '../../hooks/use-resource.js';
import { Feed } from '../../live/feed.js';
import { withSearch } from '../../routing/with-search.js';
import { timeRangeById } from '../../time/time-range.js';
import { describeOs } from '../overview/agent-list.js';
import type { PageProps } from '../page-props.js';
import { HOST_CHARTS } from './host-charts.js';
import { useAnomalyOverlay } from './anomaly-overlay-preference.js';
import { HostChartPanel } from './host-chart-panel.js';
import { ProcessTable } from './process-table.js';

/** Shortest time between two refetches of the agent's details (processes) in live mode, ms. */
export const DETAIL_REFRESH_MIN_MS = 5000;

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function HostFacts({ agent, lastSample }: { agent: AgentDetail; lastSample: number | null }) {
  const lastSeen = Math.max(agent.lastSeen ?? 0, lastSample ?? 0) || null;
  return (
    <>
      <div class="host-title-row">
        <StatusBadge status={agent.status} />
        <FreshnessStamp lastSeen={lastSeen} intervalMs={agent.intervalMs} />
      </div>
      <dl class="facts">
        <Fact label="Hostname">{agent.hostname ?? '–'}</Fact>
        <Fact label="OS">{describeOs(agent)}</Fact>
        <Fact label="CPUs">{agent.cpuCount ?? '–'}</Fact>
        <Fact label="Memory">{formatBytes(agent.memoryBytes)}</Fact>
        <Fact label="Uptime">
          <Uptime bootTime={agent.bootTime} />
        </Fact>
        <Fact label="Agent">{agent.agentVersion ?? '–'}</Fact>
        <Fact label="Interval">{agent.intervalMs ? formatSpan(agent.intervalMs) : '–'}</Fact>
        <Fact label="Dropped samples">{formatCompact(agent.droppedSamples)}</Fact>
      </dl>
      {agent.lastError ? (
        <p class="callout callout-warn" role="note">
          Agent reports: {agent.lastError}
        </p>
      ) : null}
      {agent.unavailable.length > 0 ? <p class="muted small">Unavailable collectors: {agent.unavailable.join('; ')}</p> : null}
    </>
  );
}

/**
 * `/hosts/:id`: one host's facts, charts (CPU, memory, disk, network, load) and top processes,
 * with a time-range picker and live mode (one `samples` subscription for the host, fanned out to
 * the charts). Range and live mode live in the URL (`?range=6h&live=0`).
 */
export function HostPage({ params, search, pathname }: PageProps) {
  const { api, location, scheduler } = useServices();
  const id = params.id as string;
  const range = timeRangeById(search.get('range'));
  const live = search.get('live') !== '0';
  const agent = useResource((signal) => api.get<AgentDetail>(`/api/v1/agents/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const feed = useMemo(() => new Feed<LiveSeries[]>(), [id]);
  const refresh = useMemo(() => new Feed<void>(), [id]);
  const [lastSample, setLastSample] = useState<number | null>(null);
  const lastDetailReload = useRef(0);
  const host = agent.data?.name ?? null;
  const [anomalies, setAnomalies] = useAnomalyOverlay();

  useLiveSubscription(live && host !== null ? { topic: 'samples', filter: { host } } : null, (msg) => {
    if (msg.type !== 'samples') return;
    feed.emit(msg.series);
    let newest = 0;
    for (const s of msg.series) for (const [ts] of s.points) newest = Math.max(newest, ts);
    if (newest > 0) setLastSample((prev) => Math.max(prev ?? 0, newest));
    // The process snapshot is not pushed live: refetch the details, at most every few seconds.
    const now = scheduler.now();
    if (now - lastDetailReload.current >= Math.max(DETAIL_REFRESH_MIN_MS, agent.data?.intervalMs ?? 0)) {
      lastDetailReload.current = now;
      agent.reload();
    }
  });

  const setSearch = (changes: Record<string, string | null>) => location.navigate(withSearch(pathname, search, changes), { replace: true });

  if (agent.data === undefined) {
    return (
      <div class="page page-host">
        <p class="breadcrumb">
          <Link href="/">Overview</Link> / host
        </p>
        {agent.status === 'error' && agent.error ? (
          <section class="panel" data-panel="host" data-state="error">
            <ErrorState error={agent.error} onRetry={agent.reload} />
          </section>
        ) : (
          <div class="panel-loading" role="status">
            <span class="spinner" aria-hidden="true" />
            Loading host…
          </div>
        )}
      </div>
    );
  }
  const detail = agent.data;
  return (
    <div class="page page-host">
      <p class="breadcrumb">
        <Link href="/">Overview</Link> / host
      </p>
      <div class="page-head">
        <h1>{detail.name}</h1>
        <div class="toolbar">
          <TimeRangePicker value={range} onChange={(r) => setSearch({ range: r.id })} />
          <label class="anomaly-toggle" title="Expected band and anomalous points (rolling robust z-score)">
            <input type="checkbox" name="anomaly-overlay" checked={anomalies} onChange={(e) => setAnomalies(e.currentTarget.checked)} />
            Anomalies
          </label>
          <button type="button" class={`button toggle ${live ? 'toggle-on' : ''}`} aria-pressed={live} data-live={live ? 'on' : 'off'} onClick={() => setSearch({ live: live ? '0' : null })}>
            <span class="live-dot" aria-hidden="true" />
            Live
          </button>
          {live ? null : (
            <button
              type="button"
              class="button"
              onClick={() => {
                agent.reload();
                refresh.emit();
              }}
            >
              Refresh
            </button>
          )}
        </div>
      </div>
      {agent.status === 'error' && agent.error ? <ErrorState error={agent.error} onRetry={agent.reload} compact /> : null}
      <HostFacts agent={detail} lastSample={lastSample} />
      <div class="chart-grid">
        {HOST_CHARTS.map((chart) => (
          <HostChartPanel key={chart.id} chart={chart} host={detail.name} intervalMs={detail.intervalMs} range={range} live={live} feed={feed} refresh={refresh} anomalies={anomalies} />
        ))}
      </div>
      <Panel id="processes" title="Top processes" resource={agent} isEmpty={(d) => !d.processes || d.processes.processes.length === 0} empty="No process snapshot reported yet.">
        {(d) => <ProcessTable snapshot={d.processes!} intervalMs={d.intervalMs} />}
      </Panel>
    </div>
  );
}
