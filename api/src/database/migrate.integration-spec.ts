import { migrations } from '@passerelle/migrations';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { adminQuery, withDatabase } from '../../test/test-database';
import { MIGRATION_LOCK, runMigrations } from './migrate';

/** Several API processes starting at once on a database that has migrations pending (main.ts migrates at boot). */
describe('runMigrations (integration)', () => {
  const serverUrl = process.env['PASSERELLE_TEST_SERVER_URL'] as string;
  const database = `passerelle_m_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const url = withDatabase(serverUrl, database);

  beforeAll(() => adminQuery(serverUrl, `CREATE DATABASE ${database}`));
  afterAll(() => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));

  it('three concurrent runs on an empty database: one applies every migration once, the others wait and find none pending', async () => {
    const runs = await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
    const names = migrations.map((m) => m.name);
    expect(runs.map((r) => r.length).sort((a, b) => a - b)).toEqual([0, 0, names.length]);
    expect(runs.find((r) => r.length > 0)).toEqual(names);

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; n: number }>(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name ORDER BY name`);
      expect(rows).toHaveLength(names.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      // The lock is released at the end of each run.
      const { rows: locks } = await client.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2`, [...MIGRATION_LOCK]);
      expect(locks).toEqual([]);
    } finally {
      await client.end();
    }
    // Again: nothing pending.
    expect(await runMigrations(url)).toEqual([]);
  });
});
