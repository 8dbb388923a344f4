import type { AgentView } from './agents.js';

/** Client → server messages on `/api/v1/live`. */
export type LiveClientMessage =
  | { op: 'subscribe'; id: string; topic: 'samples'; filter: { host?: string; metric?: string } }
  | { op: 'subscribe'; id: string; topic: 'agents' }
  | { op: 'subscribe'; id: string; topic: string; filter?: Record<string, string> }
  | { op: 'unsubscribe'; id: string }
  | { op: 'ping' };

/** New samples of one series, as pushed to `samples` subscribers. */
export interface LiveSeries {
  /** Stable series id (the same on every replica). */
  id?: number;
  metric: string;
  labels: Record<string, string>;
  points: [number, number][];
}

/** Server → client messages on `/api/v1/live`. */
export type LiveServerMessage =
  | { type: 'hello'; protocol: number; user: string; heartbeatMs: number }
  | { type: 'subscribed'; id: string; topic: string }
  | { type: 'samples'; sub: string; host: string; series: LiveSeries[] }
  | { type: 'agent'; sub: string; agent: AgentView }
  | { type: 'event'; sub: string; topic: string; data: unknown }
  | { type: 'dropped'; count: number }
  | { type: 'pong' }
  | { type: 'error'; id?: string; code: string; message: string };
