import { useState } from 'preact/hooks';
import type { QueryResult } from '../../../../src/protocol/query.js';
import { mergeSeries, type ChartData } from '../../charts/chart-data.js';
import { TimeChart } from '../../charts/time-chart.js';
import { Panel } from '../../components/panel.js';
import { useServices } from '../../hooks/app-services.js';
import { useResource } from '../../hooks/use-resource.js';
import { contextWindow } from '../../security/event-detail.js';
import { chartQueryParams, HOST_CHARTS, resultToSources, type HostChart } from '../host/host-charts.js';

/** Host charts shown next to an event: CPU and network (same queries as the host page). */
const EVENT_CHARTS: readonly HostChart[] = HOST_CHARTS.filter((c) => c.id === 'cpu' || c.id === 'network');

/**
 * One host chart over the ±10 min around an event, with a marker at the event time. The query
 * ends at the server's "now" when the window reaches into the future (the axis still spans it).
 */
function EventHostChart({ chart, host, ts }: { chart: HostChart; host: string; ts: number }) {
  const { api, serverClock } = useServices();
  // "Now" is fixed when the chart mounts; a moving value would refetch on every render.
  const [now] = useState(() => serverClock.serverNow());
  const { start, end, queryStart, queryEnd, step } = contextWindow(ts, now);
  const resource = useResource<ChartData>(
    async (signal) => {
      const window = { start: queryStart, end: queryEnd, step };
      const answers = await Promise.all(chart.queries.map((q) => api.get<QueryResult>('/api/v1/query', chartQueryParams(q, host, window), signal)));
      return mergeSeries(answers.flatMap((a, i) => resultToSources(chart.queries[i]!, a)));
    },
    [chart, host, queryStart, queryEnd, step],
  );
  return (
    <Panel id={`event-chart-${chart.id}`} title={`${chart.title} on ${host}`} resource={resource} isEmpty={(d) => d.timestamps.length === 0} empty="No metrics from this host around the event." class="chart-panel">
      {(data) => <TimeChart data={data} unit={chart.unit} yRange={chart.yRange} windowStart={start} windowEnd={end} label={`${chart.title} on ${host}`} markers={[ts]} />}
    </Panel>
  );
}

/** The host's CPU and network charts for the ±10 min around an event, with the event marked. */
export function EventHostCharts({ host, ts }: { host: string; ts: number }) {
  return (
    <div class="chart-grid" data-event-charts>
      {EVENT_CHARTS.map((c) => (
        <EventHostChart key={c.id} chart={c} host={host} ts={ts} />
      ))}
    </div>
  );
}
