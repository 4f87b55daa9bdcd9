/**
 * Continuity alerts and indicators benchmark (not a test): `npm run bench:continuity [-- --database-url …
 * --iterations 30 --warmup 3 --explain]`, on a database filled by `npm run seed:scale` (the embedded one
 * under .data/scale-postgres when no URL is given).
 *
 * Times the real service code — ContinuityService.list/summary and IndicatorsService.report, built on a
 * DataSource as the application builds them (PersonAccessService, AuditService: every list writes its
 * audit row, as in production) — at the data's own "now" (recorded by seed:scale), for a coordinator of
 * the Département and for an agent of one structure. Each operation runs a few times to warm up, then N
 * times; prints p50/p95/max and PASS/MISS against the targets (issue 6):
 *   p95 ≤ 100 ms: the alert list of one territory (a coordinator filtered on one EPCI; a structure's agent);
 *   p95 ≤ 300 ms: each indicator section, for the coordinator, whole département, last 3 months
 *   (12 months printed for information).
 * With --explain, prints EXPLAIN (ANALYZE, BUFFERS) of each statement of the operations that miss
 * (of all of them with --explain all): the plan's nodes that take 5 % of the time or more, or the
 * whole plans with --full-plans. Also times, for information, what the triggers add to a write:
 * continuity_gap_refresh(person) for persons with open gaps (in a transaction rolled back).
 */
import type { IndicatorFilters, IndicatorSection, Role } from '@passerelle/contracts';
import { INDICATOR_SECTIONS } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource, type Logger } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import type { AuthContext } from '../src/common/auth/auth-context';
import { ContinuityClock } from '../src/continuity/continuity-clock';
import { ContinuityService } from '../src/continuity/continuity.service';
import { dataSourceOptions } from '../src/database/data-source-options';
import { epciName } from '../src/indicators/indicator-territories';
import { IndicatorsService } from '../src/indicators/indicators.service';
import { PersonAccessService } from '../src/persons/person-access.service';
import { openScaleDatabase, readMetadata } from './scale/scale-database';

interface Options {
  databaseUrl: string | undefined;
  iterations: number;
  warmup: number;
  explain: 'miss' | 'all' | 'none';
  /** Print whole plans (otherwise: the nodes that take ≥ 5 % of the statement's time). */
  fullPlans: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { databaseUrl: process.env['DATABASE_URL'] || undefined, iterations: 30, warmup: 3, explain: 'none', fullPlans: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = argv[i + 1] ?? '';
    const n = Number(next);
    if (flag === '--database-url' && /^postgres(ql)?:\/\//.test(next)) {
      options.databaseUrl = next;
      i++;
    } else if (flag === '--iterations' && Number.isInteger(n) && n > 0) {
      options.iterations = n;
      i++;
    } else if (flag === '--warmup' && Number.isInteger(n) && n >= 0) {
      options.warmup = n;
      i++;
    } else if (flag === '--full-plans') {
      options.fullPlans = true;
    } else if (flag === '--explain') {
      options.explain = next === 'all' ? 'all' : 'miss';
      if (next === 'all' || next === 'miss') i++;
    } else {
      throw new Error(`unknown or malformed argument: ${flag} (use --database-url URL, --iterations N, --warmup N, --explain [miss|all], --full-plans)`);
    }
  }
  return options;
}

const ignore = () => undefined;

/** Captures the statements a service sends (TypeORM's logger sees each one with its parameters). */
class StatementCapture implements Logger {
  recording: { sql: string; params: unknown[] }[] | null = null;
  logQuery(query: string, parameters?: unknown[]): void {
    if (!this.recording || /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(query.trim())) return;
    this.recording.push({ sql: query, params: parameters ?? [] });
  }
  logQueryError = ignore;
  logQuerySlow = ignore;
  logSchemaBuild = ignore;
  logMigration = ignore;
  log = ignore;
}

interface Measure {
  group: 'continuity' | 'indicators' | 'info';
  name: string;
  target: number | null;
  times: number[];
  detail: string;
  run: () => Promise<unknown>;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const ms = (x: number) => `${x.toFixed(1)} ms`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The day `days` before the (UTC) date of `now`: seed:scale's "now" is a midnight UTC, 01:00 or 02:00 in Paris the same day. */
const dayBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
function monthsBack(now: Date, months: number): string {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const db = await openScaleDatabase(options.databaseUrl, (line) => console.log(line));
  const capture = new StatementCapture();
  const ds = new DataSource({ ...dataSourceOptions(db.url), logging: ['query'], logger: capture });
  try {
    await ds.initialize();
    const meta = await readMetadata((sql) => ds.query(sql));
    if (!meta) throw new Error(`${db.label} was not filled by seed:scale (no metadata): run npm run seed:scale first`);
    const now = new Date(meta.now);

    const [{ version }] = (await ds.query(`SELECT current_setting('server_version') AS version`)) as { version: string }[];
    const settings = (await ds.query(
      `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('shared_buffers','work_mem','effective_cache_size','jit','max_parallel_workers_per_gather','random_page_cost') ORDER BY name`,
    )) as { name: string; setting: string }[];
    console.log(`bench:continuity — ${db.label}`);
    console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`);
    console.log(`PostgreSQL ${version}: ${settings.map((s) => `${s.name} ${s.setting}`).join(', ')}`);
    console.log(`Data: seed:scale --persons ${fmt(meta.persons)} --seed ${meta.seed} --years ${meta.years}, département ${meta.departement}, now = ${meta.now}`);

    // Sizes and exact row counts.
    const [{ size }] = (await ds.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`)) as { size: string }[];
    const tables = ['person', 'person_follow', 'person_activity', 'contact', 'contact_need', 'request', 'request_contact', 'referral', 'referral_event', 'consent', 'referent', 'continuity_alert', 'structure', 'site', 'app_user', 'membership', 'audit_event'];
    const counts: string[] = [];
    for (const table of tables) {
      const [{ n, bytes }] = (await ds.query(`SELECT count(*)::bigint AS n, pg_size_pretty(pg_total_relation_size($1::regclass)) AS bytes FROM ${table}`, [table])) as { n: string; bytes: string }[];
      counts.push(`${table} ${fmt(Number(n))} (${bytes})`);
    }
    console.log(`Database size ${size}; rows: ${counts.join(', ')}`);

    // Who: the Département's coordinator; the EPCIs (the largest by structures, and a middle one); one structure's agent.
    const [coordinator] = (await ds.query(
      `SELECT u.id AS user_id, m.id AS membership_id, m.structure_id, u.tenant_id FROM app_user u JOIN membership m ON m.user_id = u.id
        WHERE u.email = 'coordination@scale.passerelle.test' AND m.role = 'coordinator'`,
    )) as { user_id: string; membership_id: string; structure_id: string; tenant_id: string }[];
    if (!coordinator) throw new Error('no coordinator account (coordination@scale.passerelle.test)');
    const auth = (u: { user_id: string; membership_id: string; structure_id: string | null; tenant_id: string }, role: Role): AuthContext => ({
      sessionId: randomUUID(),
      userId: u.user_id,
      tenantId: u.tenant_id,
      membershipId: u.membership_id,
      role,
      structureId: u.structure_id,
      csrfToken: 'bench',
      expiresAt: new Date(Date.now() + 3600_000),
      ip: null,
      requestId: null,
    });
    const coord = auth(coordinator, 'coordinator');
    const epcis = (await ds.query(
      `SELECT c.epci_code, count(*)::int AS structures FROM structure s JOIN commune c ON c.tenant_id = s.tenant_id AND c.insee_code = s.commune_insee
        WHERE s.tenant_id = $1 AND c.epci_code IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`,
      [coord.tenantId],
    )) as { epci_code: string; structures: number }[];
    const largest = epcis[0];
    const middle = epcis[Math.floor(epcis.length / 2)];

    const access = new PersonAccessService(ds);
    const audit = new AuditService(ds);
    const continuity = new ContinuityService(ds, access, audit, new ContinuityClock());
    const indicators = new IndicatorsService(ds, audit);

    // The journal job (every 15 minutes in production), once: the alerts of the kinds seed:scale did not journal start now.
    let started = performance.now();
    const journal = await continuity.recordJournal(coord.tenantId, now);
    const journalMs = performance.now() - started;
    started = performance.now();
    await continuity.recordJournal(coord.tenantId, now);
    console.log(
      `Journal job (ContinuityService.recordJournal, every 15 min): ${ms(journalMs)} (opened ${fmt(journal.opened)}, updated ${fmt(journal.updated)}, closed ${fmt(journal.closed)}); ` +
        `again with nothing to change: ${ms(performance.now() - started)}`,
    );

    // The structure whose agent reads its alerts: the one with the most current alerts (the worst case), and its reception agent.
    const all = await continuity.summary(coord, {}, now);
    const busiest = all.byStructure[0];
    const totals = Object.entries(all.totals).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
    console.log(`Current alerts, whole département: ${fmt(Object.values(all.totals).reduce((a, b) => a + b, 0))} (${totals}); structures with alerts: ${all.byStructure.length}`);
    const typical = all.byStructure[Math.floor(all.byStructure.length / 2)];
    const agentOf = async (structureId: string) => {
      const [row] = (await ds.query(
        `SELECT u.id AS user_id, m.id AS membership_id, m.structure_id, u.tenant_id, m.role FROM membership m JOIN app_user u ON u.id = m.user_id
          WHERE m.structure_id = $1 AND m.role IN ('reception_agent','social_worker') AND m.deactivated_at IS NULL
          ORDER BY (m.role = 'social_worker') DESC, u.email LIMIT 1`,
        [structureId],
      )) as { user_id: string; membership_id: string; structure_id: string; tenant_id: string; role: Role }[];
      return { row, auth: auth(row, row.role) };
    };
    const { row: agentRow, auth: agent } = await agentOf(busiest.structure.id);
    const { row: typicalRow, auth: typicalAgent } = await agentOf(typical.structure.id);
    const epciTotal = async (code: string) => (await continuity.list(coord, { territory: `epci:${code}`, limit: 1 }, now)).total;
    console.log(
      `Territories: ${epciName(largest.epci_code)} (epci:${largest.epci_code}, ${largest.structures} structures, ${fmt(await epciTotal(largest.epci_code))} open alerts); ` +
        `${epciName(middle.epci_code)} (epci:${middle.epci_code}, ${middle.structures} structures, ${fmt(await epciTotal(middle.epci_code))} open alerts)`,
    );
    console.log(
      `Structure agents: ${agentRow.role} of ${busiest.structure.name} (${fmt(busiest.total)} current alerts, the most of any structure); ` +
        `${typicalRow.role} of ${typical.structure.name} (${fmt(typical.total)}, the median structure)`,
    );

    // Persons with the most open gaps: what one write's triggers recompute (continuity_gap_refresh), the worst case.
    const refreshed = ((await ds.query(`SELECT person_id FROM continuity_gap GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT 64`)) as { person_id: string }[]).map(
      (r) => r.person_id,
    );
    let nextPerson = 0;
    const refreshOne = async () => {
      const runner = ds.createQueryRunner();
      try {
        await runner.startTransaction();
        await runner.query(`SELECT continuity_gap_refresh($1)`, [refreshed[nextPerson++ % refreshed.length]]);
      } finally {
        await runner.rollbackTransaction(); // nothing kept: the run leaves the data as it found it
        await runner.release();
      }
    };

    const threeMonths: IndicatorFilters = { from: monthsBack(now, 3), to: dayBefore(now, 1) };
    const twelveMonths: IndicatorFilters = { from: monthsBack(now, 12), to: dayBefore(now, 1) };
    const measures: Measure[] = [
      {
        group: 'continuity',
        name: `alerts, coordinator, EPCI ${epciName(largest.epci_code)}`,
        target: 100,
        times: [],
        detail: 'list(open, first page of 50) + total',
        run: () => continuity.list(coord, { territory: `epci:${largest.epci_code}` }, now),
      },
      {
        group: 'continuity',
        name: `alerts, coordinator, EPCI ${epciName(middle.epci_code)}`,
        target: 100,
        times: [],
        detail: 'list(open, first page of 50) + total',
        run: () => continuity.list(coord, { territory: `epci:${middle.epci_code}` }, now),
      },
      { group: 'continuity', name: `alerts, ${agentRow.role} of the busiest structure`, target: 100, times: [], detail: 'list(open, first page of 50) + total, persons named', run: () => continuity.list(agent, {}, now) },
      {
        group: 'continuity',
        name: `alerts, ${typicalRow.role} of the median structure`,
        target: 100,
        times: [],
        detail: 'list(open, first page of 50) + total, persons named',
        run: () => continuity.list(typicalAgent, {}, now),
      },
      { group: 'info', name: 'alerts, coordinator, whole département', target: null, times: [], detail: 'list(open, first page of 50) + total', run: () => continuity.list(coord, {}, now) },
      { group: 'info', name: 'alerts, coordinator, EPCI, page 5', target: null, times: [], detail: 'list(open, offset 200)', run: () => continuity.list(coord, { territory: `epci:${largest.epci_code}`, offset: 200 }, now) },
      { group: 'info', name: `summary, coordinator, EPCI ${epciName(largest.epci_code)}`, target: null, times: [], detail: 'counts by structure and kind', run: () => continuity.summary(coord, { territory: `epci:${largest.epci_code}` }, now) },
      { group: 'info', name: 'summary, coordinator, whole département', target: null, times: [], detail: 'counts by structure and kind', run: () => continuity.summary(coord, {}, now) },
      { group: 'info', name: `summary, ${agentRow.role} of the busiest structure`, target: null, times: [], detail: 'counts by kind', run: () => continuity.summary(agent, {}, now) },
      {
        group: 'info',
        name: 'continuity_gap_refresh(person), per write',
        target: null,
        times: [],
        detail: 'what the triggers add to a write of a person with many open gaps',
        run: refreshOne,
      },
      ...INDICATOR_SECTIONS.map(
        (section): Measure => ({
          group: 'indicators',
          name: `indicators ${section}, coordinator, département, 3 months`,
          target: 300,
          times: [],
          detail: `${threeMonths.from} … ${threeMonths.to}`,
          run: () => indicators.report(coord, section as IndicatorSection, threeMonths),
        }),
      ),
      ...INDICATOR_SECTIONS.map(
        (section): Measure => ({
          group: 'info',
          name: `indicators ${section}, coordinator, département, 12 months`,
          target: null,
          times: [],
          detail: `${twelveMonths.from} … ${twelveMonths.to}`,
          run: () => indicators.report(coord, section as IndicatorSection, twelveMonths),
        }),
      ),
    ];

    console.log(`\nLoad average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the machine may be shared). Warm-up ${options.warmup}, then ${options.iterations} iterations each.`);
    for (const m of measures) {
      for (let i = 0; i < options.warmup; i++) await m.run();
      for (let i = 0; i < options.iterations; i++) {
        const t = performance.now();
        await m.run();
        m.times.push(performance.now() - t);
      }
    }
    console.log(`Load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

    const width = Math.max(...measures.map((m) => m.name.length));
    let missed = 0;
    for (const group of ['continuity', 'indicators', 'info'] as const) {
      console.log(group === 'continuity' ? 'Alert lists (target p95 ≤ 100 ms):' : group === 'indicators' ? '\nIndicator pages (target p95 ≤ 300 ms):' : '\nFor information:');
      for (const m of measures.filter((x) => x.group === group)) {
        const sorted = [...m.times].sort((a, b) => a - b);
        const p95 = percentile(sorted, 95);
        const verdict = m.target === null ? '' : p95 <= m.target ? '  PASS' : '  MISS';
        if (verdict === '  MISS') missed++;
        console.log(`  ${m.name.padEnd(width)}  p50 ${ms(percentile(sorted, 50)).padStart(9)}  p95 ${ms(p95).padStart(9)}  max ${ms(sorted[sorted.length - 1]).padStart(9)}${verdict}   ${m.detail}`);
      }
    }
    console.log(missed === 0 ? '\nEvery target met.' : `\n${missed} target(s) missed.`);

    if (options.explain !== 'none') {
      for (const m of measures) {
        const sorted = [...m.times].sort((a, b) => a - b);
        const miss = m.target !== null && percentile(sorted, 95) > m.target;
        if (options.explain === 'miss' && !miss) continue;
        await explain(ds, capture, m, options.fullPlans);
      }
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.stop();
  }
}

/** Runs the operation once while capturing its statements, then EXPLAIN (ANALYZE, BUFFERS) of each (with the indicators' work_mem). */
async function explain(ds: DataSource, capture: StatementCapture, m: Measure, full: boolean): Promise<void> {
  capture.recording = [];
  await m.run();
  const statements = capture.recording;
  capture.recording = null;
  console.log(`\n=== ${m.name} — ${statements.length} statements`);
  for (const s of statements) {
    if (/^\s*(SET|INSERT)/i.test(s.sql)) continue;
    await ds.transaction(async (manager) => {
      await manager.query(`SET LOCAL work_mem = '64MB'`);
      const rows = (await manager.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.sql}`, s.params)) as { 'QUERY PLAN': string }[];
      const plan = rows.map((r) => r['QUERY PLAN']);
      const time = plan.find((l) => l.startsWith('Execution Time'));
      console.log(`\n--- ${s.sql.replace(/\s+/g, ' ').slice(0, 140)}…  (${time})`);
      for (const line of full ? plan : hotNodes(plan)) console.log(line);
    });
  }
}

/**
 * The plan's nodes whose own subtree takes ≥ 5 % of the execution (inclusive time × loops), each with
 * its index or filter condition: where the time goes, without the hundreds of lines of a UNION of six branches.
 */
function hotNodes(plan: string[]): string[] {
  const total = Number(/Execution Time: ([\d.]+)/.exec(plan.find((l) => l.startsWith('Execution Time')) ?? '')?.[1] ?? 0);
  const out: string[] = [];
  for (const [i, line] of plan.entries()) {
    const m = /actual time=[\d.]+\.\.([\d.]+) rows=\d+ loops=(\d+)/.exec(line);
    if (!m || Number(m[1]) * Number(m[2]) < total * 0.05) continue;
    out.push(line.replace(/\(cost=[^)]*\) /, ''));
    const detail = plan[i + 1]?.trim() ?? '';
    if (/^(Index Cond|Filter|Hash Cond|Join Filter|Recheck Cond|Rows Removed)/.test(detail)) out.push(`${' '.repeat(line.search(/\S/) + 6)}${detail}`);
  }
  return out;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
