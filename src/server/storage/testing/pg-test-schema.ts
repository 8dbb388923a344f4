import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** URL of the test PostgreSQL (trust auth, database `test`); override with `VIGIL_TEST_DATABASE_URL`. */
export const TEST_PG_URL = process.env.VIGIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, uniquely named schema in the test database and a function that drops it. */
export interface PgTestSchema {
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/**
 * Creates `vigil_test_<random>` in the test database so parallel test files never see each
 * other's tables; `drop()` removes it with everything in it.
 */
export async function createPgTestSchema(url = TEST_PG_URL): Promise<PgTestSchema> {
  const schema = `vigil_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  return { url, schema, drop: () => adminQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
