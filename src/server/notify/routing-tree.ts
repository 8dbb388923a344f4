import type { EscalationStep, RouteNode, RoutingConfig } from '../../protocol/alerting.js';
import { formatDuration, parseDuration, ParseError } from '../../protocol/duration.js';
import { isLabelName } from '../../protocol/selector.js';
import { compileLabelMatchers, parseLabelMatchers } from '../alerting/label-matchers.js';
import type { Labels } from '../core/labels.js';
import { errors } from '../core/errors.js';

/** Settings key of the routing configuration. */
export const ROUTING_SETTING = 'notify.routing';

/** Route defaults (Alertmanager's): wait 30 s, then at most every 5 min, repeat every 4 h. */
export const ROUTE_DEFAULTS = { groupBy: ['alertname'], groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * 3_600_000, sendResolved: true } as const;
/** Most route nodes in a tree. */
export const MAX_ROUTES = 200;
/** Deepest route nesting. */
export const MAX_ROUTE_DEPTH = 10;

/** A matched route with its inherited, parsed settings. */
export interface EffectiveRoute {
  id: string;
  /** Receiver for firing notifications when there is no escalation. */
  receiver: string;
  /** Labels grouping alerts; `['...']` groups by all labels. */
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  sendResolved: boolean;
  /** Ordered escalation (`afterMs` increasing); the first step is the initial receiver. */
  escalation: { afterMs: number; receiver: string }[];
}

interface CompiledNode {
  eff: EffectiveRoute;
  matches: (l: Labels) => boolean;
  cont: boolean;
  children: CompiledNode[];
}

/** The default configuration: everything to the receiver named `default`. */
export function defaultRouting(): RoutingConfig {
  return { root: { id: 'root', matchers: [], receiver: 'default' }, fallbackReceiver: null, fallbackAfter: '10m', version: 0 };
}

function dur(raw: string | undefined, field: string, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  try {
    const ms = parseDuration(raw);
    if (ms < min || ms > 30 * 86_400_000) throw new ParseError(`must be between ${formatDuration(min)} and 30d`, 0);
    return ms;
  } catch (err) {
    throw errors.validation(`${field}: ${err instanceof ParseError ? err.message : 'invalid duration'}`, { field });
  }
}

/**
 * A compiled routing tree. Matching follows Alertmanager: the root matches every alert; children
 * are tried in order, a matching child is descended into, and unless it sets `continue` the search
 * stops there; a node none of whose children match is itself the match.
 */
export class RoutingTree {
  private readonly root: CompiledNode;
  readonly fallbackReceiver: string | null;
  readonly fallbackAfterMs: number;
  /** Receiver names the tree refers to. */
  readonly receivers = new Set<string>();

  constructor(readonly config: RoutingConfig) {
    const ids = new Set<string>();
    let count = 0;
    const build = (n: RouteNode, parent: EffectiveRoute | null, depth: number, path: string): CompiledNode => {
      if (++count > MAX_ROUTES) throw errors.validation(`at most ${MAX_ROUTES} routes`);
      if (depth > MAX_ROUTE_DEPTH) throw errors.validation(`routes nest at most ${MAX_ROUTE_DEPTH} deep`, { field: path });
      checkNodeShape(n, path, ids, parent === null);
      ids.add(n.id);
      const matchers = parseLabelMatchers(n.matchers, `${path}.matchers`);
      if (!parent && matchers.length) throw errors.validation('the root route matches every alert: remove its matchers', { field: `${path}.matchers` });
      const groupBy = n.groupBy ?? parent?.groupBy ?? [...ROUTE_DEFAULTS.groupBy];
      if (!Array.isArray(groupBy) || groupBy.some((g) => g !== '...' && !isLabelName(g))) throw errors.validation(`${path}.groupBy must list label names (or "...")`, { field: `${path}.groupBy` });
      const receiver = (n.receiver ?? parent?.receiver) as string;
      const escalation = parseEscalation(n.escalation ?? [], receiver, path);
      const eff: EffectiveRoute = { id: n.id, receiver, groupBy: [...groupBy], ...timings(n, parent, path), sendResolved: n.sendResolved ?? parent?.sendResolved ?? ROUTE_DEFAULTS.sendResolved, escalation: escalation.length ? escalation : (parent?.escalation ?? []) };
      this.receivers.add(receiver);
      for (const s of eff.escalation) this.receivers.add(s.receiver);
      const children = (n.routes ?? []).map((c, i) => build(c, eff, depth + 1, `${path}.routes[${i}]`));
      return { eff, matches: compileLabelMatchers(matchers), cont: n.continue === true, children };
    };
    this.root = build(config.root, null, 0, 'root');
    if (config.fallbackReceiver != null && typeof config.fallbackReceiver !== 'string') throw errors.validation('fallbackReceiver must be a receiver name or null', { field: 'fallbackReceiver' });
    if (config.fallbackAfter !== undefined && typeof config.fallbackAfter !== 'string') throw errors.validation('fallbackAfter must be a duration like "10m"', { field: 'fallbackAfter' });
    this.fallbackReceiver = config.fallbackReceiver ?? null;
    if (this.fallbackReceiver) this.receivers.add(this.fallbackReceiver);
    this.fallbackAfterMs = dur(config.fallbackAfter, 'fallbackAfter', 600_000, 60_000);
  }

  /** Routes an alert's labels to its matching routes (at least the root). */
  match(labels: Labels): EffectiveRoute[] {
    const walk = (n: CompiledNode): EffectiveRoute[] => {
      const out: EffectiveRoute[] = [];
      for (const c of n.children) {
        if (!c.matches(labels)) continue;
        out.push(...walk(c));
        if (!c.cont) break;
      }
      return out.length ? out : [n.eff];
    };
    return walk(this.root);
  }

  /** The route with `id`, if it exists. */
  route(id: string): EffectiveRoute | undefined {
    const find = (n: CompiledNode): EffectiveRoute | undefined => (n.eff.id === id ? n.eff : n.children.map(find).find((x) => x !== undefined));
    return find(this.root);
  }
}

/** group_wait, group_interval and repeat_interval of a node, inherited from the parent. */
function timings(n: RouteNode, parent: EffectiveRoute | null, path: string): Pick<EffectiveRoute, 'groupWaitMs' | 'groupIntervalMs' | 'repeatIntervalMs'> {
  return {
    groupWaitMs: dur(n.groupWait, `${path}.groupWait`, parent?.groupWaitMs ?? ROUTE_DEFAULTS.groupWaitMs, 0),
    groupIntervalMs: dur(n.groupInterval, `${path}.groupInterval`, parent?.groupIntervalMs ?? ROUTE_DEFAULTS.groupIntervalMs, 1000),
    repeatIntervalMs: dur(n.repeatInterval, `${path}.repeatInterval`, parent?.repeatIntervalMs ?? ROUTE_DEFAULTS.repeatIntervalMs, 60_000),
  };
}

/** Checks the plain shape of a route node (types of id, lists, booleans, receiver). */
function checkNodeShape(n: RouteNode, path: string, ids: Set<string>, isRoot: boolean): void {
  if (typeof n !== 'object' || n === null) throw errors.validation(`${path} must be a route object`, { field: path });
  if (typeof n.id !== 'string' || !/^[\w.-]{1,64}$/.test(n.id) || ids.has(n.id)) throw errors.validation(`${path}.id must be a unique name of 1-64 letters, digits, . _ -`, { field: `${path}.id` });
  for (const f of ['routes', 'escalation'] as const) if (n[f] !== undefined && !Array.isArray(n[f])) throw errors.validation(`${path}.${f} must be a list`, { field: `${path}.${f}` });
  for (const f of ['continue', 'sendResolved'] as const) if (n[f] !== undefined && typeof n[f] !== 'boolean') throw errors.validation(`${path}.${f} must be true or false`, { field: `${path}.${f}` });
  if (n.receiver !== undefined && (typeof n.receiver !== 'string' || n.receiver === '')) throw errors.validation(`${path}.receiver must be a receiver name`, { field: `${path}.receiver` });
  if (isRoot && n.receiver === undefined) throw errors.validation(`${path}.receiver is required on the root route`, { field: `${path}.receiver` });
}

/** Parses escalation steps; `after` must increase, and the route's receiver becomes step 0 when missing. */
function parseEscalation(steps: EscalationStep[], receiver: string, path: string): { afterMs: number; receiver: string }[] {
  const out = steps.map((s, i) => {
    if (typeof s?.receiver !== 'string' || !s.receiver) throw errors.validation(`${path}.escalation[${i}].receiver is required`, { field: `${path}.escalation[${i}]` });
    return { afterMs: dur(s.after, `${path}.escalation[${i}].after`, 0, 0), receiver: s.receiver };
  });
  out.forEach((s, i) => {
    if (i > 0 && s.afterMs <= (out[i - 1] as { afterMs: number }).afterMs) throw errors.validation(`${path}.escalation: "after" must increase step by step`, { field: `${path}.escalation[${i}].after` });
  });
  if (out.length && (out[0] as { afterMs: number }).afterMs !== 0) out.unshift({ afterMs: 0, receiver });
  return out;
}

/** Group key of an alert on a route: route id plus the values of the grouping labels. */
export function groupOf(route: EffectiveRoute, labels: Labels): { key: string; labels: Record<string, string> } {
  const names = route.groupBy.includes('...') ? Object.keys(labels).sort() : route.groupBy;
  const g: Record<string, string> = {};
  for (const n of names) if (labels[n] !== undefined) g[n] = labels[n] as string;
  return { key: `${route.id}:${JSON.stringify(names.map((n) => [n, g[n] ?? '']))}`, labels: g };
}
