import { isMetricName } from '../../../protocol/selector.js';
import type { LiveTopic } from '../live-topic.js';
import type { LiveSeries } from '../../../protocol/live.js';
import { SAMPLES_APPENDED, toLiveSeries, type SamplesAppended } from '../live-events.js';

/** Filter of a `samples` subscription; both fields optional. */
export interface SamplesFilter {
  host?: string;
  metric?: string;
}

/** Live samples as they are committed, filtered by host and/or metric name. */
/** A committed-samples event in the wire form, built once per event for all subscribers. */
interface PreparedSamples {
  host: string;
  series: LiveSeries[];
}

export const samplesTopic: LiveTopic<PreparedSamples, SamplesFilter> = {
  name: 'samples',
  permission: 'read:metrics',
  eventTypes: [SAMPLES_APPENDED],
  parseFilter(raw) {
    if (typeof raw !== 'object' || raw === null) throw new Error('filter must be an object {host?, metric?}');
    const { host, metric } = raw as Record<string, unknown>;
    const out: SamplesFilter = {};
    if (host !== undefined) {
      if (typeof host !== 'string' || host.length > 255) throw new Error('filter.host must be a string');
      out.host = host;
    }
    if (metric !== undefined) {
      if (typeof metric !== 'string' || !isMetricName(metric)) throw new Error('filter.metric must be a metric name');
      out.metric = metric;
    }
    return out;
  },
  prepare(event) {
    const data = event.data as SamplesAppended;
    return { host: data.host, series: data.series.map(toLiveSeries) };
  },
  select(data, filter) {
    if (filter.host !== undefined && filter.host !== data.host) return null;
    const series = filter.metric === undefined ? data.series : data.series.filter((s) => s.metric === filter.metric);
    return series.length ? { type: 'samples', host: data.host, series } : null;
  },
};
