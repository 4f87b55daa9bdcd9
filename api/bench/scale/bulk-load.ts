import { Client } from 'pg';
import { performance } from 'node:perf_hooks';

/**
 * What a bulk load sets aside on the tables it fills, and puts back exactly as it was afterwards (as
 * pg_restore does: data first, then keys and indexes):
 * - the user triggers (the state machines' and the person_activity trigger): ALTER TABLE … DISABLE/ENABLE TRIGGER USER;
 * - the secondary indexes, as `pg_get_indexdef` wrote them, dropped then recreated (but for a few small
 *   partial ones, see `unstable`);
 * - the primary keys and unique constraints, as `pg_get_constraintdef` wrote them: an index built by
 *   sorting once costs a fraction of 13 M random insertions into b-trees;
 * - the foreign keys of and to these tables, likewise: per-row checks would cost one index probe and
 *   one row lock per key and row (≈ 50 M for 300k persons) and would forbid loading the tables in
 *   parallel. Adding them back checks every row (NOT VALID, then VALIDATE CONSTRAINT: one join per key),
 *   so the data is still proven coherent; CHECK constraints stay in force during the load.
 */
export interface SetAside {
  indexes: { table: string; name: string; definition: string }[];
  /** Partial indexes left in place: small, and their IN-list predicate would not deparse back identically. */
  kept: string[];
  keys: { table: string; name: string; definition: string }[];
  foreignKeys: { table: string; name: string; definition: string }[];
  triggerTables: string[];
}

type Definition = { table: string; name: string; definition: string };

export async function setAside(client: Client, tables: readonly string[]): Promise<SetAside> {
  const { rows: secondary } = await client.query<Definition>(
    `SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND t.relname = ANY ($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
      ORDER BY t.relname, i.relname`,
    [tables],
  );
  // A predicate `status IN ('a','b')` on a varchar column is stored as `= ANY (ARRAY['a'::varchar, …]::text[])`;
  // created again from that text it becomes `= ANY (ARRAY['a'::varchar::text, …])`: equivalent, not identical.
  // These indexes cover a few open states only (cheap to maintain during the load): they stay.
  const unstable = (d: Definition) => / WHERE .*ARRAY\[/.test(d.definition);
  const indexes = secondary.filter((d) => !unstable(d));
  const kept = secondary.filter(unstable).map((d) => d.name);
  const { rows: keys } = await client.query<Definition>(
    `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE c.contype IN ('p','u') AND n.nspname = 'public' AND t.relname = ANY ($1::text[])
      ORDER BY t.relname, c.contype, c.conname`,
    [tables],
  );
  const { rows: foreignKeys } = await client.query<Definition>(
    `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE c.contype = 'f' AND n.nspname = 'public' AND (t.relname = ANY ($1::text[]) OR f.relname = ANY ($1::text[]))
      ORDER BY t.relname, c.conname`,
    [tables],
  );
  const { rows: triggers } = await client.query<{ table: string }>(
    `SELECT DISTINCT t.relname AS table FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE NOT g.tgisinternal AND n.nspname = 'public' AND t.relname = ANY ($1::text[]) ORDER BY 1`,
    [tables],
  );
  await client.query('BEGIN');
  for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
  for (const key of keys) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
  for (const { table } of triggers) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  await client.query('COMMIT');
  return { indexes, kept, keys, foreignKeys, triggerTables: triggers.map((t) => t.table) };
}

export interface RestoreTimings {
  tables: { table: string; seconds: number }[];
  foreignKeys: { table: string; seconds: number }[];
}

/**
 * Puts everything back, on `workers` connections at once: each connection takes a whole table (its
 * primary key and unique constraints, then its indexes), the largest first; then the foreign keys are
 * added NOT VALID and validated one table per connection; then the triggers are enabled.
 */
export async function restore(url: string, aside: SetAside, options: { workers: number; largestFirst: readonly string[]; log: (line: string) => void }): Promise<RestoreTimings> {
  const timings: RestoreTimings = { tables: [], foreignKeys: [] };
  const rank = (table: string) => {
    const i = options.largestFirst.indexOf(table);
    return i < 0 ? options.largestFirst.length : i;
  };
  const clients = await Promise.all(
    Array.from({ length: options.workers }, async () => {
      const client = new Client({ connectionString: url, application_name: 'seed-scale restore' });
      await client.connect();
      await client.query(`SET maintenance_work_mem = '512MB'`);
      await client.query(`SET work_mem = '256MB'`);
      // Each connection builds one index at a time; parallel maintenance workers would fight over the same cores.
      await client.query(`SET max_parallel_maintenance_workers = 0`);
      return client;
    }),
  );
  const byTable = (list: Definition[]) => {
    const map = new Map<string, Definition[]>();
    for (const d of list) map.set(d.table, [...(map.get(d.table) ?? []), d]);
    return map;
  };
  const run = async (queue: string[], job: (client: Client, table: string) => Promise<void>) =>
    Promise.all(
      clients.map(async (client) => {
        for (let table = queue.shift(); table; table = queue.shift()) await job(client, table);
      }),
    );
  try {
    const keys = byTable(aside.keys);
    const indexes = byTable(aside.indexes);
    const tables = [...new Set([...keys.keys(), ...indexes.keys()])].sort((a, b) => rank(a) - rank(b));
    await run(tables, async (client, table) => {
      const started = performance.now();
      for (const key of keys.get(table) ?? []) await client.query(`ALTER TABLE ${table} ADD CONSTRAINT ${key.name} ${key.definition}`);
      for (const index of indexes.get(table) ?? []) await client.query(index.definition);
      const seconds = (performance.now() - started) / 1000;
      timings.tables.push({ table, seconds });
      if (seconds >= 1) options.log(`  ${table}: ${(keys.get(table) ?? []).length} keys, ${(indexes.get(table) ?? []).length} indexes in ${seconds.toFixed(1)} s`);
    });
    // NOT VALID first (no scan), then VALIDATE, which only takes SHARE UPDATE EXCLUSIVE: two tables at once.
    for (const fk of aside.foreignKeys) await clients[0].query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.definition} NOT VALID`);
    const foreignKeys = byTable(aside.foreignKeys);
    await run(
      [...foreignKeys.keys()].sort((a, b) => rank(a) - rank(b)),
      async (client, table) => {
        const started = performance.now();
        for (const fk of foreignKeys.get(table) ?? []) await client.query(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${fk.name}`);
        const seconds = (performance.now() - started) / 1000;
        timings.foreignKeys.push({ table, seconds });
        if (seconds >= 1) options.log(`  ${table}: ${(foreignKeys.get(table) ?? []).length} foreign keys validated in ${seconds.toFixed(1)} s`);
      },
    );
    for (const table of aside.triggerTables) await clients[0].query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return timings;
}
