import { compileMatcher, type Selector } from '../../protocol/selector.js';
import type { Labels } from '../core/labels.js';

/** Compiles a selector into a predicate over (metric, labels); an absent label reads as "". */
export function selectorMatches(selector: Selector): (metric: string, labels: Labels) => boolean {
  const tests = selector.matchers.map((m) => ({ name: m.name, test: compileMatcher(m) }));
  return (metric, labels) => {
    if (selector.metric !== null && selector.metric !== metric) return false;
    for (const t of tests) if (!t.test(labels[t.name] ?? '')) return false;
    return true;
  };
}
