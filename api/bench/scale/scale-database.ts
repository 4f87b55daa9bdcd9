import { Client } from 'pg';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, type RunningDatabase } from '../../src/database/embedded-postgres';
import { freePort } from '../../src/database/free-port';

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

/**
 * What `bench:load --statements` adds (and a run without it takes away): pg_stat_statements hooks every
 * statement of the server — a small cost per statement, which a throughput measurement should not carry
 * unless it asked for the statistics — and it needs a restart to load or unload. Planning is tracked too
 * (TypeORM's statements are planned on every call): that setting exists only once the library is loaded,
 * so it is set after the restart (a reload is enough for it).
 */
const STATEMENT_STATISTICS_LIBRARY = 'pg_stat_statements';
const STATEMENT_STATISTICS_RELOADABLE: Record<string, string> = { 'pg_stat_statements.track_planning': 'on' };

/** The settings the embedded server restarts for (with or without the statement statistics). */
function embeddedSettings(statements: boolean): Record<string, string> {
  return { ...EMBEDDED_SETTINGS, shared_preload_libraries: statements ? STATEMENT_STATISTICS_LIBRARY : '' };
}

export interface ScaleDatabase {
  url: string;
  /** The server without a database path, for CREATE/DROP DATABASE. */
  serverUrl: string;
  embedded: boolean;
  /** Printable, without the password. */
  label: string;
  stop(): Promise<void>;
}

export { freePort };

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export const hidePassword = (url: string) => url.replace(/\/\/([^:@/]*):[^@]*@/, '//$1:***@');

async function settingsDiffer(url: string, settings: Record<string, string>): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(`SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name = ANY ($1)`, [
      Object.keys(settings),
    ]);
    return rows.some((r) => r.setting.replace(/\s/g, '').toLowerCase() !== settings[r.name].toLowerCase());
  } finally {
    await client.end();
  }
}

/**
 * Opens the scale database's server (starting the embedded one when no URL is given). `statements`: the
 * embedded server loads pg_stat_statements (see STATEMENT_STATISTICS_LIBRARY) — without it, it does not; a
 * server given by URL is left as it is.
 */
export async function openScaleDatabase(databaseUrl: string | undefined, log: (line: string) => void, options: { statements?: boolean } = {}): Promise<ScaleDatabase> {
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
  const settings = embeddedSettings(options.statements ?? false);
  if (await settingsDiffer(running.url, settings)) {
    const client = new Client({ connectionString: running.url });
    await client.connect();
    // An empty list is the default: RESET (SET to '' would name a library "").
    for (const [name, value] of Object.entries(settings)) await client.query(value === '' ? `ALTER SYSTEM RESET ${name}` : `ALTER SYSTEM SET ${name} = '${value}'`);
    // Unloading the library: its settings go too, while the server still knows them (after, it refuses to name them).
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM pg_settings WHERE name = ANY ($1)`, [Object.keys(STATEMENT_STATISTICS_RELOADABLE)]);
    if (!options.statements) for (const { name } of rows) await client.query(`ALTER SYSTEM RESET ${name}`);
    await client.end();
    await running.stop();
    running = await start();
    log(`Embedded PostgreSQL configured: ${Object.entries(settings).map(([k, v]) => `${k} = ${v || "''"}`).join(', ')}`);
  }
  if (options.statements) {
    const client = new Client({ connectionString: running.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name = ANY ($1)`, [Object.keys(STATEMENT_STATISTICS_RELOADABLE)]);
      const differing = rows.filter((r) => r.setting !== STATEMENT_STATISTICS_RELOADABLE[r.name]);
      for (const { name } of differing) await client.query(`ALTER SYSTEM SET ${name} = '${STATEMENT_STATISTICS_RELOADABLE[name]}'`);
      if (differing.length > 0) await client.query(`SELECT pg_reload_conf()`);
    } finally {
      await client.end();
    }
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
