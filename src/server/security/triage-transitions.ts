import type { TriageState } from '../../protocol/security.js';

/**
 * Allowed triage moves: `new` → `acknowledged` → `resolved`, `false_positive` from any open
 * state, and reopening (back to `new`) from any other state so a mistaken close can be undone.
 */
export const TRIAGE_TRANSITIONS: Readonly<Record<TriageState, readonly TriageState[]>> = {
  new: ['acknowledged', 'resolved', 'false_positive'],
  acknowledged: ['resolved', 'false_positive', 'new'],
  resolved: ['new', 'false_positive'],
  false_positive: ['new'],
};

/** True when an event in `from` may move to `to`. */
export function canTransition(from: TriageState, to: TriageState): boolean {
  return TRIAGE_TRANSITIONS[from].includes(to);
}
