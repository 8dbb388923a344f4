import type { IngestService } from '../ingest/ingest-service.js';
import type { LiveHub } from '../live/live-hub.js';
import type { Storage } from '../storage/storage.js';
import type { MetricsRegistry } from './metrics-registry.js';

/** Registers the server's own gauges and counters (read on each scrape of `/metrics`). */
export function registerSelfMetrics(m: MetricsRegistry, deps: { storage: Storage; ingest: IngestService; hub: LiveHub; version: string }): void {
  const started = Date.now();
  m.gauge('vigil_build_info', 'Constant 1 with the version label.', () => [{ labels: { version: deps.version }, value: 1 }]);
  m.gauge('vigil_process_start_time_seconds', 'Start time of the server process.', () => started / 1000);
  m.gauge('vigil_process_resident_memory_bytes', 'Resident set size.', () => process.memoryUsage().rss);
  m.gauge('vigil_process_heap_used_bytes', 'V8 heap in use.', () => process.memoryUsage().heapUsed);
  const c = deps.ingest.counters;
  m.counterFn('vigil_ingest_samples_stored_total', 'Samples stored.', () => c.samplesStored);
  m.counterFn('vigil_ingest_samples_duplicate_total', 'Exact duplicate samples (no-ops).', () => c.samplesDuplicate);
  m.counterFn('vigil_ingest_samples_rejected_total', 'Samples rejected with a per-item error.', () => c.samplesRejected);
  m.counterFn('vigil_ingest_batches_total', 'Ingest batches processed.', () => c.batches);
  m.counterFn('vigil_ingest_batches_replayed_total', 'Batches answered from the idempotency store.', () => c.batchesReplayed);
  m.gauge('vigil_live_clients', 'Connected WebSocket clients.', () => deps.hub.size);
  m.counterFn('vigil_live_messages_sent_total', 'Live messages sent.', () => deps.hub.counters.messagesSent);
  m.counterFn('vigil_live_messages_dropped_total', 'Live messages dropped for slow clients.', () => deps.hub.counters.messagesDropped);
  m.counterFn('vigil_live_slow_consumers_closed_total', 'Clients cut off as slow consumers.', () => deps.hub.counters.slowConsumersClosed);
  m.gauge('vigil_storage_bytes', 'Bytes on disk per sample-store tier.', async () => {
    const s = await deps.storage.samples.stats();
    return Object.entries(s.bytesByTier).map(([tier, value]) => ({ labels: { tier }, value }));
  });
  m.gauge('vigil_storage_damaged_skipped', 'Damaged sample-store items detected and skipped since start (chunks, log records, rollups, checkpoint parts).', async () => {
    const c = (await deps.storage.samples.stats()).counters ?? {};
    return Object.entries(c)
      .filter(([name]) => name.startsWith('corrupt_'))
      .map(([name, value]) => ({ labels: { kind: name.slice('corrupt_'.length) }, value }));
  });
  m.gauge('vigil_storage_engine', 'Sample-store engine figures (head size, compaction, rollups, ingest rate).', async () => {
    const c = (await deps.storage.samples.stats()).counters ?? {};
    return Object.entries(c)
      .filter(([name]) => !name.startsWith('corrupt_'))
      .map(([name, value]) => ({ labels: { figure: name }, value }));
  });
  m.gauge('vigil_agents', 'Registered agents.', async () => (await deps.storage.agents.list()).length);
}
