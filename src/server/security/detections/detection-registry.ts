import type { DetectionKind } from '../../../protocol/security.js';
import type { DetectionRuleType } from './detection-rule-type.js';
import { firstSeenDetection } from './first-seen-detection.js';
import { frequencyDetection } from './frequency-detection.js';
import { thresholdDetection } from './threshold-detection.js';

/** Detection rule types by kind (the extension point for new correlation rules). */
export type DetectionRegistry = ReadonlyMap<DetectionKind, DetectionRuleType>;

/** The built-in rule types: frequency, first seen, threshold. */
export function builtinDetectionTypes(): DetectionRegistry {
  return new Map([frequencyDetection, firstSeenDetection, thresholdDetection].map((t) => [t.kind, t]));
}
