import { join } from 'node:path';
import type { SecurityEventInput } from '../../../../protocol/security.js';
import type { Collector, CollectorContext, CollectorFactory, CollectResult } from '../../../collector.js';
import { linuxOnly } from '../../linux-only.js';
import { ProcReader } from '../../proc-reader.js';
import { securityEvent } from '../security-event.js';
import { isRecord, readStateFile, writeStateFile } from '../state-file.js';
import { isLoopback, parseProcNet, type ListeningSocket, type NetProto } from './parse-proc-net.js';
import { findSocketOwners, type SocketOwner } from './socket-owners.js';

/** Name of the collector (and `source` of its events). */
export const PORTS_COLLECTOR = 'listening-ports';
const PROTOS: NetProto[] = ['tcp', 'tcp6', 'udp', 'udp6'];

/** A listening endpoint as remembered between scans (one per proto/address/port). */
interface KnownPort {
  proto: NetProto;
  address: string;
  port: number;
  uid: number;
  owner?: SocketOwner;
}

interface PortsState {
  version: 1;
  ports: Record<string, KnownPort>;
}

function isState(v: unknown): v is PortsState {
  return isRecord(v) && v.version === 1 && isRecord(v.ports);
}

const keyOf = (s: { proto: string; address: string; port: number }) => `${s.proto} ${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}`;

/**
 * Listening ports from `/proc/net/{tcp,tcp6,udp,udp6}` (TCP LISTEN and unconnected bound UDP),
 * diffed against the previous scan: `port_opened` (medium, or low on loopback) and
 * `port_closed` (low), with the owning process (pid, comm, exe) when the agent can see it
 * (root sees all). The first scan is the baseline and reports nothing; the set is persisted so
 * a restart does not report the host's ports again.
 */
class PortsCollector implements Collector {
  readonly name = PORTS_COLLECTOR;
  private readonly reader = new ProcReader();
  private ctx!: CollectorContext;
  private statePath = '';
  private known: Map<string, KnownPort> | null = null;
  private lastScan = -Infinity;

  constructor(private readonly intervalMs: number) {}

  init(ctx: CollectorContext): void {
    this.ctx = ctx;
    this.statePath = join(ctx.stateDir, 'ports.json');
    const saved = readStateFile(this.statePath, isState);
    if (saved) this.known = new Map(Object.entries(saved.ports));
  }

  collect(now: number): CollectResult {
    if (now - this.lastScan < this.intervalMs) return { series: [] };
    this.lastScan = now;
    const current = this.scan();
    const events: SecurityEventInput[] = [];
    if (this.known === null) {
      // Baseline: remember what listens now (with owners, for later port_closed events).
      const owners = findSocketOwners(this.ctx.procRoot, new Set([...current.values()].map((c) => c.inode)), this.reader);
      this.known = new Map([...current].map(([k, s]) => [k, known(s, owners.get(s.inode))]));
      this.save();
      this.ctx.log.info('listening ports baseline recorded', { ports: this.known.size });
      return { series: [], events };
    }
    const opened = [...current].filter(([k]) => !(this.known as Map<string, KnownPort>).has(k));
    const closed = [...this.known].filter(([k]) => !current.has(k));
    const owners = findSocketOwners(this.ctx.procRoot, new Set(opened.map(([, s]) => s.inode)), this.reader);
    for (const [k, s] of opened) {
      const p = known(s, owners.get(s.inode));
      this.known.set(k, p);
      events.push(portEvent('port_opened', p, now));
    }
    for (const [k, p] of closed) {
      this.known.delete(k);
      events.push(portEvent('port_closed', p, now));
    }
    if (events.length > 0) this.save();
    return { series: [{ metric: 'security_listening_ports', points: [[now, current.size]] }], events };
  }

  close(): void {
    // State is saved after every change; nothing is held open.
  }

  private scan(): Map<string, ListeningSocket> {
    const out = new Map<string, ListeningSocket>();
    for (const proto of PROTOS) {
      const text = this.reader.tryRead(join(this.ctx.procRoot, 'net', proto));
      if (text === null) continue;
      for (const s of parseProcNet(text, proto)) if (!out.has(keyOf(s))) out.set(keyOf(s), s);
    }
    return out;
  }

  private save(): void {
    writeStateFile(this.statePath, { version: 1, ports: Object.fromEntries(this.known ?? []) } satisfies PortsState);
  }
}

function known(s: ListeningSocket, owner: SocketOwner | undefined): KnownPort {
  return owner ? { proto: s.proto, address: s.address, port: s.port, uid: s.uid, owner } : { proto: s.proto, address: s.address, port: s.port, uid: s.uid };
}

/**
 * No MITRE id: a new listener is a fact worth a look (a backdoor, or a deployment), not evidence
 * of one technique; the server's first-seen rule decides whether it is unusual for the host.
 */
function portEvent(type: 'port_opened' | 'port_closed', p: KnownPort, now: number): SecurityEventInput {
  const who = p.owner ? ` by ${p.owner.comm || '?'} (pid ${p.owner.pid})` : '';
  const where = keyOf(p);
  return securityEvent({
    type,
    severity: type === 'port_closed' || isLoopback(p.address) ? 'low' : 'medium',
    ts: now,
    source: PORTS_COLLECTOR,
    description: type === 'port_opened' ? `New listening port ${where}${who}` : `Listening port closed: ${where}${who}`,
    metadata: { proto: p.proto, address: p.address, port: p.port, uid: p.uid, pid: p.owner?.pid ?? null, process: p.owner?.comm ?? null, exe: p.owner?.exe ?? null },
  });
}

/** Factory of the listening-ports collector; `intervalMs` is the time between scans. */
export function portsCollectorFactory(intervalMs: number): CollectorFactory {
  return {
    name: PORTS_COLLECTOR,
    description: 'Security: listening TCP/UDP ports opened or closed since the last scan, with the owning process.',
    create: () => new PortsCollector(intervalMs),
    unavailableReason: (ctx) => linuxOnly(ctx, 'net/tcp'),
  };
}
