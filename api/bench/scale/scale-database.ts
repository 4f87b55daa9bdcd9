import { Client } from 'pg';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, type RunningDatabase } from '../../src/database/embedded-postgres';

/**
 * Where the département-scale data lives, for seed:scale and the benchmarks that read it:
 * - `--database-url` (or DATABASE_URL): that server; the database named in the URL (`passerelle_scale`
 *   when the URL names `postgres` or none);
 * - otherwise a persistent embedded PostgreSQL 15 under `.data/scale-postgres` (git-ignored), started on
 *   a free port for the run and stopped at its end, database `passerelle_scale`.
 */
export const SCALE_DATABASE = 'passerelle_scale';
export const EMBEDDED_DIR = resolve(__dirname, '../../..', '.data/scale-postgres');

/**
 * Settings of the embedded server (ALTER SYSTEM, applied by a restart): a server in service holds its
 * working set in memory — the default 128 MB is far below the ~3 GB of a 300k-person département;
 * a bulk load should not checkpoint every few seconds; and with wal_level = minimal (no replica of this
 * scratch server) a COPY into a table truncated in the same transaction, and CREATE INDEX, skip the WAL.
 * Reads — what the benchmarks measure — do not depend on the last three. Everything else keeps
 * PostgreSQL's defaults (work_mem 4 MB, no JIT in this build, 2 parallel workers per gather).
 */
export const EMBEDDED_SETTINGS: Record<string, string> = {
  shared_buffers: '2GB',
  effective_cache_size: '8GB',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  wal_level: 'minimal',
  max_wal_senders: '0',
};

export interface ScaleDatabase {
  url: string;
  /** The server without a database path, for CREATE/DROP DATABASE. */
  serverUrl: string;
  embedded: boolean;
  /** Printable, without the password. */
  label: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export const hidePassword = (url: string) => url.replace(/\/\/([^:@/]*):[^@]*@/, '//$1:***@');

async function settingsDiffer(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(`SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY ($1)`, [
      Object.keys(EMBEDDED_SETTINGS),
    ]);
    return rows.some((r) => r.setting.replace(/\s/g, '').toLowerCase() !== EMBEDDED_SETTINGS[r.name].toLowerCase());
  } finally {
    await client.end();
  }
}

/** Opens the scale database's server (starting the embedded one when no URL is given). */
export async function openScaleDatabase(databaseUrl: string | undefined, log: (line: string) => void): Promise<ScaleDatabase> {
  if (databaseUrl) {
    const u = new URL(databaseUrl);
    const name = decodeURIComponent(u.pathname.slice(1));
    const database = !name || name === 'postgres' ? SCALE_DATABASE : name;
    const url = withDatabase(databaseUrl, database);
    return { url, serverUrl: withDatabase(databaseUrl, 'postgres'), embedded: false, label: hidePassword(url), stop: async () => undefined };
  }
  mkdirSync(resolve(EMBEDDED_DIR, '..'), { recursive: true });
  if (!existsSync(EMBEDDED_DIR)) {
    mkdirSync(EMBEDDED_DIR);
    chmodSync(EMBEDDED_DIR, 0o755); // as root, the server runs as the 'postgres' system user
  }
  const port = await freePort();
  const dataDir = resolve(EMBEDDED_DIR, 'data');
  const start = () => startEmbeddedPostgres({ dir: dataDir, port, database: 'postgres', onLog: () => undefined });
  let running: RunningDatabase = await start();
  if (await settingsDiffer(running.url)) {
    const client = new Client({ connectionString: running.url });
    await client.connect();
    for (const [name, value] of Object.entries(EMBEDDED_SETTINGS)) await client.query(`ALTER SYSTEM SET ${name} = '${value}'`);
    await client.end();
    await running.stop();
    running = await start();
    log(`Embedded PostgreSQL configured: ${Object.entries(EMBEDDED_SETTINGS).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  }
  const url = withDatabase(running.url, SCALE_DATABASE);
  return { url, serverUrl: running.url, embedded: true, label: `${hidePassword(url)} (embedded, ${EMBEDDED_DIR})`, stop: () => running.stop() };
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops and creates the database (its name is ours: SCALE_DATABASE, or the one the caller named with --reset). */
export async function recreateDatabase(db: ScaleDatabase): Promise<void> {
  const name = decodeURIComponent(new URL(db.url).pathname.slice(1)).replace(/"/g, '""');
  await adminQuery(db.serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await ensureDatabase(db.url);
}

/** What seed:scale recorded about the data (COMMENT ON DATABASE), or null. */
export interface ScaleMetadata {
  generator: 'seed:scale';
  seed: number;
  persons: number;
  years: number;
  now: string;
  departement: string;
  password: string;
  accounts: { email: string; role: string; structureId: string | null; label: string }[];
  generatedAt: string;
}

export const METADATA_SQL = `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = current_database()`;

/** Reads the metadata from the rows of METADATA_SQL (run by the caller's client). */
export async function readMetadata(rowsOf: (sql: string) => Promise<{ comment: string | null }[]>): Promise<ScaleMetadata | null> {
  const rows = await rowsOf(METADATA_SQL);
  try {
    const parsed = JSON.parse(rows[0]?.comment ?? 'null') as ScaleMetadata | null;
    return parsed?.generator === 'seed:scale' ? parsed : null;
  } catch {
    return null;
  }
}
