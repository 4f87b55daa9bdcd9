import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { adminQuery, withDatabase } from './scale-database';

/** The schema's indexes, constraints (validated or not) and triggers (enabled or not), one line each. */
const SCHEMA_SQL = `
  SELECT 'index ' || tablename || ' ' || indexdef AS line FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL
  SELECT 'constraint ' || c.conrelid::regclass || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) || CASE WHEN c.convalidated THEN '' ELSE ' NOT VALID' END
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'trigger ' || g.tgrelid::regclass || ' ' || g.tgname || ' ' || g.tgenabled::text
    FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' AND NOT g.tgisinternal
  ORDER BY 1`;

async function schemaOf(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ line: string }>(SCHEMA_SQL)).rows.map((r) => r.line);
  } finally {
    await client.end();
  }
}

/**
 * Checks that the loaded database has exactly the schema the migrations create (every index, key,
 * foreign key and trigger put back as it was, validated and enabled), against a scratch database
 * migrated for the purpose on the same server. Returns the differences (none: []).
 */
export async function compareWithMigrations(url: string, serverUrl: string): Promise<string[]> {
  const scratch = `passerelle_scale_schema_${process.pid}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${scratch}`);
  try {
    const reference = withDatabase(url, scratch);
    await runMigrations(reference);
    const [expected, actual] = await Promise.all([schemaOf(reference), schemaOf(url)]);
    const have = new Set(actual);
    const want = new Set(expected);
    return [...expected.filter((l) => !have.has(l)).map((l) => `missing: ${l}`), ...actual.filter((l) => !want.has(l)).map((l) => `extra: ${l}`)];
  } finally {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
  }
}
