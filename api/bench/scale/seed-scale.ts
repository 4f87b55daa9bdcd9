/**
 * Département-scale synthetic data (not a test): `npm run seed:scale -- --persons 300000 [--seed 42]
 * [--years 5] [--now 2026-12-01] [--database-url postgres://…] [--reset]`.
 *
 * Fills a database — DATABASE_URL's or --database-url's (which must be empty, or --reset to drop and
 * create it), or a persistent embedded PostgreSQL under .data/scale-postgres (recreated at each run) —
 * with the real migrations and a coherent synthetic département: tenant 59 (Nord) and its communes and
 * EPCIs, ~150 structures of every type and ~300 sites on real communes, ~1,000 professionals with
 * memberships of every role (one password, printed at the end), and N persons with 5 years of
 * pathways (see pathway.ts). The same seed and --now give the same data, row for row.
 *
 * Fast path: the small tables by COPY with their constraints; then, on the big ones, user triggers
 * disabled, secondary indexes and foreign keys set aside (bulk-load.ts), one COPY stream per table on
 * its own connection, fed by the generator with backpressure; indexes rebuilt, foreign keys added back
 * and validated, triggers enabled; person_activity, then continuity_gap, filled in one INSERT … SELECT each; VACUUM ANALYZE.
 */
import { fakerFR } from '@faker-js/faker';
import { CONTINUITY_DEFAULT_THRESHOLDS } from '@passerelle/contracts';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Client } from 'pg';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ensureDatabase } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { DAY_MS } from './calendar';
import { restore, setAside } from './bulk-load';
import { CopySink } from './copy-sink';
import { synthesizeJournal } from './journal';
import { compareWithMigrations } from './schema-check';
import { COLUMNS, contactColumns, PathwayGenerator, type Sinks } from './pathway';
import { PERSON_COLUMNS } from './persons';
import { Random } from './random';
import { openScaleDatabase, readMetadata, recreateDatabase, type ScaleMetadata } from './scale-database';
import { buildTerritory, loadTerritory } from './territory';

/** The password of every generated account (a passphrase: the password policy accepts it). */
export const BENCH_PASSWORD = 'Passerelle-bench-scale-2026';
// PasswordService's parameters (OWASP's argon2id baseline).
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** The INSERT triggers of the big tables, and how the load reproduces what they would have written. */
const REPRODUCED_INSERT_TRIGGERS: Record<string, string> = {
  contact_person_activity: 'person_activity: one INSERT … SELECT after the load',
  contact_need_mask_insert: 'contact.need_mask: written by the generator with each contact',
  contact_interval_set: 'contact.previous_contact_at: written by the generator with each contact',
  contact_interval_insert: 'contact.previous_contact_at: computed by the generator over each person\'s contacts (previousContactAt)',
  continuity_gap_insert: 'continuity_gap: one INSERT … SELECT of its view after the load (after person_activity, which the view reads)',
};

const BIG_TABLES = ['contact', 'contact_need', 'referral_event', 'request_contact', 'referral', 'request', 'person', 'person_follow', 'consent', 'referent'] as const;

interface Options {
  persons: number;
  seed: number;
  years: number;
  now: Date;
  databaseUrl: string | undefined;
  reset: boolean;
  departement: string;
  structures: number | undefined;
  agents: number | undefined;
}

function parseOptions(argv: string[]): Options {
  const today = new Date();
  const options: Options = {
    persons: 300_000,
    seed: 42,
    years: 5,
    now: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())),
    databaseUrl: process.env['DATABASE_URL'] || undefined,
    reset: false,
    departement: '59',
    structures: undefined,
    agents: undefined,
  };
  const usage = 'use --persons N, --seed N, --years N, --now YYYY-MM-DD[THH:MM:SSZ], --database-url URL, --reset, --departement 59, --structures N, --agents N';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = argv[i + 1] ?? '';
    const number = Number(next);
    const positive = Number.isInteger(number) && number > 0;
    if (flag === '--reset') options.reset = true;
    else if (flag === '--persons' && positive) options.persons = number;
    else if (flag === '--seed' && Number.isInteger(number)) options.seed = number;
    else if (flag === '--years' && positive && number <= 20) options.years = number;
    else if (flag === '--structures' && positive) options.structures = number;
    else if (flag === '--agents' && positive) options.agents = number;
    else if (flag === '--departement' && /^([0-9]{2}|2A|2B|97[1-6])$/.test(next)) options.departement = next;
    else if (flag === '--database-url' && /^postgres(ql)?:\/\//.test(next)) options.databaseUrl = next;
    else if (flag === '--now' && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?$/.test(next)) options.now = new Date(next.length === 10 ? `${next}T00:00:00Z` : next);
    else throw new Error(`unknown or malformed argument: ${flag} (${usage})`);
    if (flag !== '--reset') i++;
  }
  return options;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const log = (line: string) => console.log(line);
  const now = options.now.getTime();
  const windowStart = now - Math.round(options.years * 365.25) * DAY_MS;
  log(`seed:scale — ${fmt(options.persons)} persons, ${options.years} years, seed ${options.seed}, département ${options.departement}`);
  log(`"Now" of the data: ${options.now.toISOString()} (--now); window from ${new Date(windowStart).toISOString()}`);
  log(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const db = await openScaleDatabase(options.databaseUrl, log);
  let admin: Client | null = null;
  const sinks: CopySink[] = [];
  try {
    // A fresh database: always for the embedded one; for a given URL only when asked (it must be empty otherwise).
    if (db.embedded || options.reset) await recreateDatabase(db);
    else await ensureDatabase(db.url);
    const phase = (name: string, since: number) => log(`${name}: ${secs(performance.now() - since)}`);
    let t = performance.now();
    await runMigrations(db.url);
    admin = new Client({ connectionString: db.url, application_name: 'seed-scale' });
    await admin.connect();
    const [{ count }] = (await admin.query<{ count: string }>(`SELECT count(*) AS count FROM tenant`)).rows;
    if (Number(count) > 0) throw new Error(`${db.label} already holds data: pass --reset to drop and recreate it`);
    const { rows: settings } = await admin.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('server_version','shared_buffers','work_mem','maintenance_work_mem','max_wal_size','effective_cache_size','jit','wal_level') ORDER BY name`,
    );
    log(`Database: ${db.label}; ${settings.map((s) => `${s.name} ${s.setting}`).join(', ')}`);
    phase('Migrations', t);

    // Deterministic: one generator for everything, forked in a fixed order; faker seeded the same.
    const random = new Random(options.seed);
    fakerFR.seed(options.seed);
    const salt = Uint8Array.from({ length: 16 }, () => random.int(0, 255));
    const passwordHash = await hash(BENCH_PASSWORD, { ...ARGON2, salt });
    if (!(await verify(passwordHash, BENCH_PASSWORD))) throw new Error('argon2: the bench password hash does not verify');

    t = performance.now();
    const territoryOptions = { code: options.departement, persons: options.persons, structures: options.structures, agents: options.agents, windowStart, now, passwordHash };
    const territory = buildTerritory(random.fork(), fakerFR, territoryOptions);
    const small = await loadTerritory(db.url, territory, random.fork(), fakerFR, territoryOptions);
    const types = new Map<string, number>();
    for (const s of territory.structures) types.set(s.type, (types.get(s.type) ?? 0) + 1);
    log(
      `Territory ${territory.code} ${territory.name}: ${fmt(territory.communes.length)} communes, ${territory.structures.length} structures (${[...types].map(([k, v]) => `${k} ${v}`).join(', ')}), ` +
        `${territory.sites} sites, ${territory.services} services, ${territory.users} users, ${territory.memberships} memberships`,
    );
    phase('Territory (small tables, COPY with constraints)', t);

    // Triggers that fill other data on INSERT are disabled during the load: each must be reproduced here.
    const { rows: insertTriggers } = await admin.query<{ table: string; name: string }>(
      `SELECT t.relname AS table, g.tgname AS name FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
        WHERE NOT g.tgisinternal AND (g.tgtype & 4) <> 0 AND t.relname = ANY ($1::text[]) ORDER BY 1, 2`,
      [BIG_TABLES],
    );
    const unknown = insertTriggers.filter((g) => !REPRODUCED_INSERT_TRIGGERS[g.name]);
    if (unknown.length > 0) {
      throw new Error(`INSERT triggers seed:scale does not reproduce (it disables them during the load): ${unknown.map((g) => `${g.table}.${g.name}`).join(', ')}`);
    }
    const { rows: contactColumnsFound } = await admin.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'contact' AND column_name IN ('need_mask','previous_contact_at')`,
    );
    const needMask = contactColumnsFound.some((c) => c.column_name === 'need_mask');
    const previousContactAt = contactColumnsFound.some((c) => c.column_name === 'previous_contact_at');

    t = performance.now();
    const aside = await setAside(admin, BIG_TABLES);
    log(
      `Set aside on the ${BIG_TABLES.length} big tables: ${aside.keys.length} primary keys and unique constraints, ${aside.indexes.length} secondary indexes ` +
        `(kept: ${aside.kept.join(', ')}), ` +
        `${aside.foreignKeys.length} foreign keys (of and to them), user triggers of ${aside.triggerTables.join(', ')}`,
    );

    const sinkOf = (table: string, columns: readonly string[]) => {
      const sink = new CopySink(table, columns, true);
      sinks.push(sink);
      return sink;
    };
    const tableSinks: Sinks = {
      person: sinkOf('person', PERSON_COLUMNS),
      person_follow: sinkOf('person_follow', COLUMNS.person_follow),
      contact: sinkOf('contact', contactColumns(needMask, previousContactAt)),
      contact_need: sinkOf('contact_need', COLUMNS.contact_need),
      request: sinkOf('request', COLUMNS.request),
      request_contact: sinkOf('request_contact', COLUMNS.request_contact),
      referral: sinkOf('referral', COLUMNS.referral),
      referral_event: sinkOf('referral_event', COLUMNS.referral_event),
      consent: sinkOf('consent', COLUMNS.consent),
      referent: sinkOf('referent', COLUMNS.referent),
    };
    await Promise.all(sinks.map((s) => s.open(db.url)));
    const generator = new PathwayGenerator(random.fork(), territory, tableSinks, {
      now,
      windowStart,
      reminderDays: 10,
      expiryDays: 30,
      retentionMonths: 24,
      anonymousPerPerson: 0.8,
      needMask,
      previousContactAt,
    });
    const loadStarted = performance.now();
    let lastReport = loadStarted;
    const report = () => {
      const elapsed = (performance.now() - loadStarted) / 1000;
      const counts = sinks
        .filter((s) => ['contact', 'referral', 'referral_event', 'request'].includes(s.table))
        .map((s) => `${s.table} ${fmt(s.rows)}`)
        .join(' · ');
      log(`  ${fmt(generator.persons)}/${fmt(options.persons)} persons (${((100 * generator.persons) / options.persons).toFixed(0)} %), ${fmt(generator.persons / elapsed)}/s · ${counts}`);
    };
    while (generator.persons < options.persons) {
      generator.generatePerson();
      if (generator.persons % 200 === 0) {
        for (const sink of sinks) await sink.drained();
        if (performance.now() - lastReport > 10_000) {
          report();
          lastReport = performance.now();
        }
      }
    }
    await Promise.all(sinks.map((s) => s.close()));
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const total = sinks.reduce((sum, s) => sum + s.rows, 0);
    log(`Generated and copied ${fmt(total)} rows in ${loadSeconds.toFixed(1)} s (${fmt(total / loadSeconds)} rows/s, all tables at once):`);
    for (const s of [...sinks].sort((a, b) => b.rows - a.rows)) log(`  ${s.table.padEnd(16)} ${fmt(s.rows).padStart(11)} rows  ${fmt(s.rows / s.seconds()).padStart(9)} rows/s`);

    t = performance.now();
    const timings = await restore(db.url, aside, { workers: 2, largestFirst: [...BIG_TABLES], log });
    log(
      `Restored ${aside.keys.length} keys and ${aside.indexes.length} indexes (${timings.tables.reduce((s, i) => s + i.seconds, 0).toFixed(0)} s of work), ` +
        `${aside.foreignKeys.length} foreign keys validated (${timings.foreignKeys.reduce((s, i) => s + i.seconds, 0).toFixed(0)} s of work), triggers enabled`,
    );
    phase('Indexes, foreign keys, triggers (2 connections)', t);

    t = performance.now();
    const differences = await compareWithMigrations(db.url, db.serverUrl);
    if (differences.length > 0) throw new Error(`the schema differs from the migrations' after the load:\n  ${differences.join('\n  ')}`);
    phase('Schema check (indexes, keys, validated foreign keys, enabled triggers: identical to a freshly migrated database)', t);

    t = performance.now();
    const activity = await admin.query(
      `INSERT INTO person_activity (person_id, tenant_id, last_contact_at)
       SELECT person_id, tenant_id, max(occurred_at) FROM contact WHERE person_id IS NOT NULL GROUP BY person_id, tenant_id`,
    );
    phase(`person_activity (${fmt(activity.rowCount ?? 0)} rows, one INSERT … SELECT)`, t);
    t = performance.now();
    const gapColumns = 'tenant_id, kind, subject_id, gap_since, person_id, structure_id, counterpart_id, bouquet, referral_id, request_id';
    const gaps = await admin.query(`INSERT INTO continuity_gap (${gapColumns}) SELECT ${gapColumns} FROM continuity_gap_source`);
    phase(`continuity_gap (${fmt(gaps.rowCount ?? 0)} open gaps, one INSERT … SELECT of continuity_gap_source)`, t);
    if (needMask) {
      // The generator's masks against the needs, for every contact (what the triggers would have written).
      t = performance.now();
      const [{ wrong }] = (
        await admin.query<{ wrong: number }>(
          `SELECT count(*)::int AS wrong FROM contact c
             LEFT JOIN (SELECT contact_id, bit_or(1 << bouquet)::integer AS mask FROM contact_need GROUP BY contact_id) n ON n.contact_id = c.id
            WHERE c.need_mask <> coalesce(n.mask, 0)`,
        )
      ).rows;
      if (wrong > 0) throw new Error(`contact.need_mask differs from the contact's needs on ${wrong} contacts`);
      phase('contact.need_mask (written with each contact) checked against contact_need for every contact', t);
    }
    if (previousContactAt) {
      // The generator's previous contacts against the window the triggers compute, for every contact.
      t = performance.now();
      const [{ wrong }] = (
        await admin.query<{ wrong: number }>(
          `SELECT count(*)::int AS wrong FROM (
             SELECT previous_contact_at AS written, lag(occurred_at) OVER (PARTITION BY person_id ORDER BY occurred_at, id) AS expected
               FROM contact WHERE person_id IS NOT NULL) x
            WHERE written IS DISTINCT FROM expected`,
        )
      ).rows;
      const [{ anonymous }] = (await admin.query<{ anonymous: number }>(`SELECT count(*)::int AS anonymous FROM contact WHERE person_id IS NULL AND previous_contact_at IS NOT NULL`)).rows;
      if (wrong + anonymous > 0) throw new Error(`contact.previous_contact_at differs from the triggers' on ${wrong + anonymous} contacts`);
      phase('contact.previous_contact_at (written with each contact) checked against the window over every person\'s contacts', t);
    }

    t = performance.now();
    const journal = await synthesizeJournal(admin, options.now, { unanswered: CONTINUITY_DEFAULT_THRESHOLDS.referral_unanswered, notInCharge: CONTINUITY_DEFAULT_THRESHOLDS.referral_not_in_charge });
    phase(`continuity_alert (${fmt(journal)} rows: the journal of orientation alerts over the window)`, t);

    t = performance.now();
    const { rows: tables } = await admin.query<{ table: string }>(`SELECT relname AS table FROM pg_stat_user_tables ORDER BY n_live_tup DESC, relname`);
    const queue = tables.map((r) => r.table);
    await Promise.all(
      [0, 1].map(async () => {
        const client = new Client({ connectionString: db.url, application_name: 'seed-scale vacuum' });
        await client.connect();
        await client.query(`SET maintenance_work_mem = '512MB'`);
        for (let table = queue.shift(); table; table = queue.shift()) await client.query(`VACUUM (ANALYZE) ${table}`);
        await client.end();
      }),
    );
    phase('VACUUM ANALYZE', t);

    const metadata: ScaleMetadata = {
      generator: 'seed:scale',
      seed: options.seed,
      persons: options.persons,
      years: options.years,
      now: options.now.toISOString(),
      departement: options.departement,
      password: BENCH_PASSWORD,
      accounts: territory.accounts,
      generatedAt: new Date().toISOString(),
    };
    const database = decodeURIComponent(new URL(db.url).pathname.slice(1)).replace(/"/g, '""');
    await admin.query(`COMMENT ON DATABASE "${database}" IS ${literal(JSON.stringify(metadata))}`);
    if (!(await readMetadata(async (sql) => (await (admin as Client).query<{ comment: string | null }>(sql)).rows))) throw new Error('metadata not recorded');

    await printSummary(admin, { ...small, ...Object.fromEntries(sinks.map((s) => [s.table, s.rows])) }, now);
    log(`\nAccounts (password "${BENCH_PASSWORD}"; every other professional too, e-mails in app_user):`);
    for (const a of territory.accounts) log(`  ${a.email.padEnd(36)} ${a.label}`);
    log(`\nTotal: ${secs(performance.now() - started)}. Database: ${db.label}`);
    if (db.embedded) log(`The embedded server stops now; its data stays in .data/scale-postgres: \`npm run bench:continuity\` starts it again.`);
    else log(`Reuse: npm run bench:continuity -- --database-url ${db.label}`);
  } catch (error) {
    await Promise.all(sinks.map((s) => s.abort()));
    console.error(`seed:scale failed; the database is incomplete (indexes or foreign keys may be missing): run again${db.embedded ? '' : ' with --reset'}.`);
    throw error;
  } finally {
    await admin?.end();
    await db.stop();
  }
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Row counts, size, and a few checks that the data looks like a département's. */
async function printSummary(client: Client, copied: Record<string, number>, now: number): Promise<void> {
  const q = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
  const [size] = await q<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
  const tables = await q<{ table: string; size: string }>(
    `SELECT relname AS table, pg_size_pretty(pg_total_relation_size(relid)) AS size FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC`,
  );
  const counts: { table: string; rows: string; size: string }[] = [];
  for (const t of tables) {
    const [{ n }] = await q<{ n: string }>(`SELECT count(*) AS n FROM ${t.table}`);
    if (Number(n) > 0) counts.push({ table: t.table, rows: n, size: t.size });
  }
  console.log(`\nDatabase size ${size.size}. Tables (exact rows, size with indexes):`);
  for (const c of counts) console.log(`  ${c.table.padEnd(22)} ${fmt(Number(c.rows)).padStart(11)}  ${c.size.padStart(8)}${copied[c.table] !== undefined && copied[c.table] !== Number(c.rows) ? `  (copied ${fmt(copied[c.table])})` : ''}`);
  const at = new Date(now).toISOString();
  const [profile] = await q<Record<string, string>>(
    `SELECT
       (SELECT round(100.0 * count(*) FILTER (WHERE answer IN ('information','procedure_done','appointment')) / count(*), 1) FROM contact) AS answered_first,
       (SELECT round(100.0 * count(*) FILTER (WHERE extract(isodow FROM occurred_at AT TIME ZONE 'Europe/Paris') >= 6) / count(*), 1) FROM contact) AS weekend,
       (SELECT round(100.0 * count(*) FILTER (WHERE extract(hour FROM occurred_at AT TIME ZONE 'Europe/Paris') IN (9,10,11,14,15,16)) / count(*), 1) FROM contact) AS office_hours,
       (SELECT round(100.0 * count(*) FILTER (WHERE person_id IS NULL) / count(*), 1) FROM contact) AS anonymous,
       (SELECT round(avg(n), 1) FROM (SELECT count(*) AS n FROM contact WHERE person_id IS NOT NULL GROUP BY person_id) x) AS contacts_per_person,
       (SELECT round(100.0 * count(DISTINCT person_id) / (SELECT count(*) FROM person), 1) FROM referent WHERE ended_at IS NULL) AS active_referent,
       (SELECT round(100.0 * count(*) / (SELECT count(*) FROM person), 1) FROM (SELECT person_id FROM referent GROUP BY 1 HAVING bool_and(ended_at IS NOT NULL)) x) AS ended_referent,
       (SELECT round(100.0 * count(*) FILTER (WHERE anonymized_at IS NOT NULL) / count(*), 1) FROM person) AS anonymized,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - sent_at) / 86400)::numeric(6,1)::text FROM referral WHERE answered_at IS NOT NULL) AS days_to_answer,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.at - r.answered_at) / 86400)::numeric(6,1)::text
          FROM referral r JOIN referral_event e ON e.referral_id = r.id AND e.status = 'in_charge') AS median_days_to_charge`,
  );
  console.log(
    `\nProfile: ${profile.contacts_per_person} contacts per person (+${profile.anonymous} % anonymous contacts); answered at first contact ${profile.answered_first} %; ` +
      `weekend ${profile.weekend} %, in 9–12 h/14–17 h ${profile.office_hours} %; active référent ${profile.active_referent} % of persons (only ended ones: ${profile.ended_referent} %); ` +
      `anonymised by retention ${profile.anonymized} %; median days to answer an orientation ${profile.days_to_answer}, median days from acceptance to taking charge ${profile.median_days_to_charge}`,
  );
  const byMonth = await q<{ month: string; n: string }>(
    `SELECT to_char(occurred_at AT TIME ZONE 'Europe/Paris', 'MM') AS month, count(*) AS n FROM contact
      WHERE occurred_at >= $1::timestamptz - interval '3 years' AND occurred_at < $1::timestamptz - interval '1 year' GROUP BY 1 ORDER BY 1`,
    [at],
  );
  console.log(`Contacts by month (2 full years): ${byMonth.map((m) => `${m.month} ${fmt(Number(m.n))}`).join(' · ')}`);
  const statuses = async (table: string) =>
    (await q<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${table} GROUP BY 1 ORDER BY 2 DESC`)).map((s) => `${s.status} ${fmt(Number(s.n))}`).join(', ');
  console.log(`Requests: ${await statuses('request')}`);
  console.log(`Orientations: ${await statuses('referral')}`);
  // Same seed and --now, same data: a fingerprint of the main tables to compare runs.
  const fingerprints: string[] = [];
  for (const table of ['person', 'contact', 'request', 'referral', 'referral_event', 'consent', 'referent']) {
    const [{ md5 }] = await q<{ md5: string }>(`SELECT md5(string_agg(md5(t::text), '' ORDER BY t.id)) AS md5 FROM ${table} t`);
    fingerprints.push(`${table} ${md5.slice(0, 8)}`);
  }
  console.log(`Fingerprints: ${fingerprints.join(', ')}`);
  const channels = await q<{ channel: string; pct: string }>(`SELECT channel, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct FROM contact GROUP BY 1 ORDER BY 2 DESC`);
  console.log(`Channels: ${channels.map((c) => `${c.channel} ${c.pct} %`).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
