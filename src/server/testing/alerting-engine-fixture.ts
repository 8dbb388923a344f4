import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../auth/audit-log.js';
import { ManualClock } from '../core/clock.js';
import type { Labels } from '../core/labels.js';
import { LocalEventBus, type BusEvent } from '../live/event-bus.js';
import { SAMPLES_APPENDED, type SamplesAppended } from '../live/live-events.js';
import { openSqliteStorage } from '../storage/sqlite/open-sqlite-storage.js';
import type { Storage } from '../storage/storage.js';
import { AlertEngine, DEFAULT_ENGINE_OPTIONS, type AlertEngineOptions } from '../alerting/alert-engine.js';
import { AlertService } from '../alerting/alert-service.js';
import { builtinRuleTypes } from '../alerting/rule-types/builtin-rule-types.js';
import { SilenceService } from '../alerting/silence-service.js';
import { StorageHistoryReader } from '../alerting/storage-history-reader.js';

/** An engine over a real SQLite file, a manual clock and the in-process bus. */
export interface EngineFixture {
  dir: string;
  storage: Storage;
  clock: ManualClock;
  bus: LocalEventBus;
  engine: AlertEngine;
  alerts: AlertService;
  silences: SilenceService;
  /** Alert ids announced to the sink, in order. */
  sunk: string[];
  /** Every bus event published. */
  events: BusEvent[];
  /** Stores samples (like ingest) and announces them on the bus. */
  ingest(metric: string, labels: Labels, points: [number, number][]): Promise<void>;
  /** Stops this engine and starts a new one over the same database (a restart). */
  restart(): Promise<EngineFixture>;
  close(): Promise<void>;
}

/** Opens a fixture in a fresh temp dir (or `dir`, to reopen after a restart). */
export async function engineFixture(opts: { dir?: string; clock?: ManualClock; engine?: Partial<AlertEngineOptions> } = {}): Promise<EngineFixture> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'vigil-alerting-'));
  const clock = opts.clock ?? new ManualClock(Date.UTC(2026, 0, 5, 12));
  const storage = await openSqliteStorage({ dataDir: dir, clock, durability: 'P' });
  const bus = new LocalEventBus((err) => {
    throw err;
  });
  const events: BusEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const sunk: string[] = [];
  const registry = builtinRuleTypes();
  const history = new StorageHistoryReader(storage.series, storage.samples);
  const audit = new AuditLog(storage.audit, clock, bus);
  const engine = new AlertEngine(
    { rules: storage.alertRules, alerts: storage.alerts, silences: storage.silences, windows: storage.maintenanceWindows, settings: storage.settings, history, bus, clock, registry, sink: { alertsChanged: (ids) => sunk.push(...ids) }, isLeader: () => true, onError: (msg, err) => { throw new Error(`${msg}: ${String(err)}`); } },
    { ...DEFAULT_ENGINE_OPTIONS, ...opts.engine },
  );
  await engine.start();
  const alerts = new AlertService({ rules: storage.alertRules, alerts: storage.alerts, engine, registry, history, audit, bus, clock });
  const silences = new SilenceService({ silences: storage.silences, windows: storage.maintenanceWindows, settings: storage.settings, engine, audit, bus, clock });
  const f: EngineFixture = {
    dir,
    storage,
    clock,
    bus,
    engine,
    alerts,
    silences,
    sunk,
    events,
    async ingest(metric, labels, points) {
      const [id] = (await storage.series.resolve([{ metric, labels, agentId: null }], 1e6)) as number[];
      await storage.samples.append(points.map(([ts, value]) => ({ seriesId: id as number, ts, value })));
      bus.publish({ type: SAMPLES_APPENDED, data: { agentId: 'a', host: labels.host ?? '', series: [{ metric, labels: { ...labels }, ts: points.map((p) => p[0]), values: points.map((p) => p[1]) }] } satisfies SamplesAppended });
      await engine.settle();
    },
    async restart() {
      await engine.stop();
      await storage.close();
      return engineFixture({ dir, clock, engine: opts.engine });
    },
    async close() {
      await engine.stop();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return f;
}
