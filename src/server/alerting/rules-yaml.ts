import { parse as parseYaml, stringify } from 'yaml';
import type { RuleInput } from '../../protocol/alerting.js';
import { errors, VigilError } from '../core/errors.js';
import type { AlertRuleRecord } from '../storage/alert-rule-repo.js';
import { parseRuleInput, ruleInputOf, type RuleFields } from './alert-rule.js';
import type { RuleTypeRegistry } from './rule-type-registry.js';

/** Largest rules file accepted, bytes (1 MiB). */
export const RULES_YAML_MAX_BYTES = 1 << 20;
/** Most rules in one file. */
export const RULES_YAML_MAX_RULES = 5000;

/**
 * Parses a rules-as-code YAML document (`rules: [ {name, type, spec, …} ]`) and validates every
 * entry. Aliases are refused (no billion-laughs expansion) and size is capped.
 * @throws VigilError VIGIL_ERR_VALIDATION naming the entry (`rules[3].spec.critical`).
 */
export function parseRulesYaml(text: string, registry: RuleTypeRegistry): RuleFields[] {
  if (Buffer.byteLength(text, 'utf8') > RULES_YAML_MAX_BYTES) throw errors.validation(`the rules file is larger than ${RULES_YAML_MAX_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 0, prettyErrors: false });
  } catch (err) {
    throw errors.validation(`not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const rules = (doc as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) throw errors.validation('the document must have a top-level "rules:" list');
  if (rules.length > RULES_YAML_MAX_RULES) throw errors.validation(`at most ${RULES_YAML_MAX_RULES} rules per file`);
  const names = new Set<string>();
  return rules.map((r, i) => {
    try {
      const f = parseRuleInput(r, registry);
      if (names.has(f.name)) throw errors.validation(`duplicate rule name "${f.name}"`, { field: 'name' });
      names.add(f.name);
      return f;
    } catch (err) {
      if (err instanceof VigilError) {
        const field = (err.details as { field?: string } | undefined)?.field;
        throw errors.validation(`rules[${i}]: ${err.message}`, { index: i, field: field ? `rules[${i}].${field}` : `rules[${i}]` });
      }
      throw err;
    }
  });
}

/** Writes rules as a YAML document that {@link parseRulesYaml} reads back to the same rules. */
export function rulesToYaml(records: readonly AlertRuleRecord[]): string {
  const rules: RuleInput[] = [...records].sort((a, b) => a.name.localeCompare(b.name)).map(ruleInputOf);
  return `# Vigil alert rules (rules as code). Import with POST /api/v1/rules/import or test with "vigil rules test".\n${stringify({ rules }, { lineWidth: 0 })}`;
}
