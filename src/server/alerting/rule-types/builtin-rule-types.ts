import { RuleTypeRegistry } from '../rule-type-registry.js';
import { absenceRule } from './absence-rule.js';
import { rateOfChangeRule } from './rate-of-change-rule.js';
import { thresholdRule } from './threshold-rule.js';

/**
 * A registry with the built-in rule types (threshold, absence, rate of change). Forecast and
 * anomaly types are added with `registry.register(...)` by the module that owns them.
 */
export function builtinRuleTypes(): RuleTypeRegistry {
  return new RuleTypeRegistry([thresholdRule, absenceRule, rateOfChangeRule]);
}
