// globalSetup runs outside Jest's module resolver: teach Node the workspace path aliases.
import { register } from 'tsconfig-paths';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
const base = JSON.parse(readFileSync(resolve(__dirname, '../../tsconfig.base.json'), 'utf8'));
register({ baseUrl: resolve(__dirname, '../..'), paths: base.compilerOptions.paths });

import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningDatabase } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrate';
import { adminQuery, TEMPLATE_DB, withDatabase } from './test-database';
import { freePort } from '../src/database/free-port';

/**
 * Integration tests run against a real PostgreSQL: DATABASE_URL's server when set, otherwise an
 * embedded PostgreSQL started for the run. The real migrations are applied once to a template
 * database; each test file then gets its own copy (CREATE DATABASE … TEMPLATE), so files are isolated.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'passerelle-test-pg-'));
    chmodSync(dir, 0o755); // as root, the server runs as the 'postgres' system user
    const port = await freePort();
    const db: RunningDatabase = await startEmbeddedPostgres({ dir: join(dir, 'data'), port, database: 'postgres' });
    (globalThis as { __PASSERELLE_TEST_DB__?: RunningDatabase }).__PASSERELLE_TEST_DB__ = db;
    serverUrl = db.url;
  }
  await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await adminQuery(serverUrl, `CREATE DATABASE ${TEMPLATE_DB}`);
  await runMigrations(withDatabase(serverUrl, TEMPLATE_DB));
  process.env['PASSERELLE_TEST_SERVER_URL'] = serverUrl;
}

