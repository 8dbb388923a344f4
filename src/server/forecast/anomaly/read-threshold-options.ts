import type { OptionReader } from '../option-reader.js';
import type { ResolvedThreshold } from './score-points.js';

/** Reads the options every detector shares (see `AnomalyThresholdOptions`) with their defaults. */
export function readThresholdOptions(r: OptionReader): ResolvedThreshold {
  return {
    threshold: r.number('threshold', { min: 0.5, max: 1000, default: 3.5 }),
    minAbsDeviation: r.number('minAbsDeviation', { min: 0, max: 1e100, default: 0 }),
    minRelDeviation: r.number('minRelDeviation', { min: 0, max: 100, default: 0.001 }),
  };
}
