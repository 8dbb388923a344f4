import type { Unit } from './format-value.js';

/**
 * Guesses the display unit of a metric from its name, following the Prometheus naming
 * convention used by `docs/metrics.md` (`_bytes`, `_bytes_per_second`, `_percent`,
 * `_per_second`, `_seconds`). Unknown suffixes print as plain numbers.
 */
export function metricUnit(metric: string): Unit {
  if (metric.endsWith('_bytes_per_second')) return 'bytesPerSecond';
  if (metric.endsWith('_per_second')) return 'perSecond';
  if (metric.endsWith('_bytes')) return 'bytes';
  if (metric.endsWith('_percent')) return 'percent';
  if (metric.endsWith('_seconds')) return 'seconds';
  if (metric.endsWith('_total') || metric.startsWith('processes_')) return 'count';
  return 'none';
}
