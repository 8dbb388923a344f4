import { RuleTypeRegistry } from '../rule-type-registry.js';
import { absenceRule } from './absence-rule.js';
import { anomalyRule } from './anomaly-rule.js';
import { forecastRule } from './forecast-rule.js';
import { rateOfChangeRule } from './rate-of-change-rule.js';
import { thresholdRule } from './threshold-rule.js';

/**
 * A registry with the built-in rule types: threshold, absence, rate of change, and the
 * model-based forecast and anomaly types (issue 8; they read the pure `forecast` module).
 */
export function builtinRuleTypes(): RuleTypeRegistry {
  return new RuleTypeRegistry([thresholdRule, absenceRule, rateOfChangeRule, forecastRule, anomalyRule]);
}
