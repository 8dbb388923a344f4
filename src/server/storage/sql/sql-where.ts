import type { SqlParam } from '../sql-db.js';

/** Collects `AND`-joined conditions with their parameters for an optional WHERE clause. */
export class SqlWhere {
  private readonly parts: string[] = [];
  readonly params: SqlParam[] = [];

  /** Adds `condition` (with `?` placeholders) when `when` is true. */
  add(when: boolean, condition: string, ...params: SqlParam[]): this {
    if (when) {
      this.parts.push(condition);
      this.params.push(...params);
    }
    return this;
  }

  /** `WHERE a AND b`, or an empty string when there is no condition. */
  toSql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
