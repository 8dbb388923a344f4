import { errors } from '../../core/errors.js';
import type { AlertRuleRecord, AlertRuleRepo } from '../alert-rule-repo.js';
import type { SqlDb } from '../sql-db.js';
import { isUniqueViolation } from './unique-violation.js';

interface Row {
  doc: string;
}

/** {@link AlertRuleRepo} over SQL: indexed columns plus the full record as JSON. */
export class SqlAlertRuleRepo implements AlertRuleRepo {
  constructor(private readonly db: SqlDb) {}

  async list(): Promise<AlertRuleRecord[]> {
    return (await this.db.all<Row>('SELECT doc FROM alert_rules ORDER BY name')).map((r) => JSON.parse(r.doc) as AlertRuleRecord);
  }

  async get(id: string): Promise<AlertRuleRecord | null> {
    const r = await this.db.get<Row>('SELECT doc FROM alert_rules WHERE id = ?', [id]);
    return r ? (JSON.parse(r.doc) as AlertRuleRecord) : null;
  }

  async getByName(name: string): Promise<AlertRuleRecord | null> {
    const r = await this.db.get<Row>('SELECT doc FROM alert_rules WHERE name = ?', [name]);
    return r ? (JSON.parse(r.doc) as AlertRuleRecord) : null;
  }

  async create(rule: AlertRuleRecord): Promise<void> {
    try {
      await this.db.run('INSERT INTO alert_rules (id, name, type, enabled, doc, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        rule.id,
        rule.name,
        rule.type,
        rule.enabled ? 1 : 0,
        JSON.stringify(rule),
        rule.version,
        rule.createdAt,
        rule.updatedAt,
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw errors.conflict(`a rule named "${rule.name}" already exists`);
      throw err;
    }
  }

  async update(rule: AlertRuleRecord, expectedVersion: number): Promise<boolean> {
    try {
      const r = await this.db.run('UPDATE alert_rules SET name = ?, type = ?, enabled = ?, doc = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?', [
        rule.name,
        rule.type,
        rule.enabled ? 1 : 0,
        JSON.stringify(rule),
        rule.version,
        rule.updatedAt,
        rule.id,
        expectedVersion,
      ]);
      return r.changes === 1;
    } catch (err) {
      if (isUniqueViolation(err)) throw errors.conflict(`a rule named "${rule.name}" already exists`);
      throw err;
    }
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM alert_rules WHERE id = ?', [id])).changes === 1;
  }
}
