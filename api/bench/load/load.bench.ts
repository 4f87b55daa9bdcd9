/**
 * Load benchmark (not a test): `npm run bench:load [-- --database-url postgres://… --levels 50,100,200
 * --duration 20 --warmup 5 --rate 0 --contact-concurrency 50 --build --seed 1 --statements]`, on a database filled by
 * `npm run seed:scale` (the embedded one under .data/scale-postgres when no URL is given).
 *
 * 1. Opens the scale database, reads seed:scale's metadata (refuses a database it did not fill) and
 *    refuses one that lacks migrations of this code (the API would apply them at start: a benchmark
 *    must not change the schema of the data it measures).
 * 2. Builds the API (`nx build api`, production) when dist/api/main.js is missing or older than its
 *    sources (always with --build) and starts it as a child process — NODE_ENV=production,
 *    DATABASE_URL = the scale database, a free port on 127.0.0.1, the login throttle raised (the run
 *    logs hundreds of agents in from one address), the job queue on as in production (JOBS_ENABLED:
 *    pg-boss creates its `pgboss` schema on the first start; the 15-minute continuity journal, the
 *    minutely notification e-mails… run when they fall due; the jobs that ran are printed) — and waits
 *    for GET /api/health. It is stopped at the end, on an error and on Ctrl-C.
 * 3. Logs in, through POST /api/auth/login as the web client does (cookies passerelle_session and
 *    XSRF-TOKEN; X-XSRF-TOKEN on writes), as many generated agents as the highest level — reception
 *    agents and social workers, one per structure in turn (a small seed has fewer agents: they are
 *    then logged in more than once, a second workstation each, and the run says so).
 * 4. At each level (50, 100, 200 concurrent agents), for --duration seconds: one autocannon instance
 *    per operation, all at once, the level's agents split among them by the mix (operations.ts: search
 *    30 %, person page 25 %, contact 20 %, inbox 10 %, dashboard 10 %, orientation 5 %; one connection
 *    each at least). Each agent is one keep-alive connection with its own cookies, repeating its
 *    operation as fast as the API answers (a closed loop, no think time: the load is then the most the
 *    machine serves, and the mean latency is agents / throughput — Little's law), or at most --rate R
 *    requests per second each (autocannon's connectionRate, whole numbers; a person page's 7 requests
 *    then take 7 s). Prints per operation: requests/s, p50/p95/p99/max latency (per request as
 *    answered; per route for the multi-request pages), non-2xx and connection errors; and the API's
 *    peak RSS (VmRSS sampled every 100 ms) and the CPU of the API, of PostgreSQL (when on this machine)
 *    and of the whole machine during the level.
 * 5. Contact logging alone, at --contact-concurrency agents (default: the first level): over HTTP, then
 *    the same transaction (raw-contact.ts) issued with `pg` directly from as many workers sharing a Pool
 *    of the API's pool size, for the same duration, both in a closed loop; prints transactions/s and
 *    the ratio HTTP / raw.
 *    Before the levels, one contact logged by ContactsService.create itself and one by the raw
 *    transaction are captured and compared statement for statement.
 * 6. PASS/MISS against issue 7's targets, the machine and its load average before and after.
 * With --statements (statements.ts): pg_stat_statements is reset before each level and its top
 * statements by execution time are printed after it (the embedded server loads the library for the run).
 *
 * What stays in the database: every contact (with its needs, the requests 12 % of them open, the
 * follow rows — already there —, the audit rows) and every orientation (its event, the notifications of
 * the receiving structure's agents) the run creates — a few thousand to tens of thousands, all dated
 * now —, the sessions and login audit rows, and pg-boss's schema and schedules. The audit trail is
 * append-only (the database refuses DELETE), so no cleanup is offered: re-seed (`npm run seed:scale`,
 * deterministic) before measurements that depend on the exact data, or run bench:load last.
 */
import type { CreateContactRequest } from '@passerelle/contracts';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource, type Logger } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service';
import type { AuthContext } from '../../src/common/auth/auth-context';
import { ContactsService } from '../../src/contacts/contacts.service';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { PersonAccessService } from '../../src/persons/person-access.service';
import { Random } from '../scale/random';
import { freePort, openScaleDatabase, readMetadata, type ScaleMetadata } from '../scale/scale-database';
import { buildApi, buildReason, ResourceSampler, rssParts, startApi, type ApiProcess, type PhaseResources } from './api-process';
import { canDo, contactBody, MIX, OPERATION_LABELS, OPERATIONS, requestsFor, type Operation } from './operations';
import { contactStatements, normalizeStatements, rawContact, type RawActor, type Statement } from './raw-contact';
import { findAgents, loadStructureData, loginAll, type Session, type StructureData } from './scenario';
import { StatementStats } from './statements';
import { fmt, mb, ms, perSecond, splitConnections, summarize, table, type LatencySummary } from './stats';

interface Options {
  databaseUrl: string | undefined;
  levels: number[];
  duration: number;
  warmup: number;
  contactConcurrency: number | null;
  build: boolean;
  seed: number;
  /** Requests per second of each agent; 0: a closed loop, each agent's next request as soon as the last is answered. */
  rate: number;
  /** pg_stat_statements' top statements after each level (statements.ts). */
  statements: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { databaseUrl: process.env['DATABASE_URL'] || undefined, levels: [50, 100, 200], duration: 20, warmup: 5, contactConcurrency: null, build: false, seed: 1, rate: 0, statements: false };
  const usage = 'use --database-url URL, --levels 50,100,200, --duration S, --warmup S, --rate R (requests/s per agent), --contact-concurrency N, --build, --seed N, --statements';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = argv[i + 1] ?? '';
    const n = Number(next);
    if (flag === '--build') {
      options.build = true;
      continue;
    }
    if (flag === '--statements') {
      options.statements = true;
      continue;
    }
    if (flag === '--database-url' && /^postgres(ql)?:\/\//.test(next)) options.databaseUrl = next;
    else if (flag === '--levels' && /^\d+(,\d+)*$/.test(next)) options.levels = next.split(',').map(Number);
    else if (flag === '--duration' && Number.isInteger(n) && n > 0) options.duration = n;
    else if (flag === '--warmup' && Number.isInteger(n) && n >= 0) options.warmup = n;
    else if (flag === '--contact-concurrency' && Number.isInteger(n) && n > 0) options.contactConcurrency = n;
    else if (flag === '--seed' && Number.isInteger(n)) options.seed = n;
    else if (flag === '--rate' && Number.isInteger(n) && n >= 0 && next !== '') options.rate = n;
    else throw new Error(`unknown or malformed argument: ${flag} (${usage})`);
    i++;
  }
  if (options.levels.some((l) => l < OPERATIONS.length)) throw new Error(`each level needs ${OPERATIONS.length} agents at least (one per operation)`);
  return options;
}

/** The issue's targets. */
const TARGET = { p95Ms: 50, p95Level: 100, rawRatio: 0.4, rssBytes: 250e6, zeroErrorsLevel: 200 };
/** Per-request timeout of the load tool: a slower answer counts as an error. */
const REQUEST_TIMEOUT_S = 10;
/** Logins sent at once (each costs an argon2id verification, ~19 MiB and tens of ms). */
const LOGIN_BATCH = 8;
/** Persons (and orientation targets) sampled per structure. */
const PER_STRUCTURE = 60;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Captures every statement a DataSource sends while `recording` is set (TypeORM's logger sees each with its parameters). */
class StatementCapture implements Logger {
  recording: Statement[] | null = null;
  logQuery(query: string, parameters?: unknown[]): void {
    this.recording?.push({ sql: query, params: parameters ?? [] });
  }
  logQueryError = () => undefined;
  logQuerySlow = () => undefined;
  logSchemaBuild = () => undefined;
  logMigration = () => undefined;
  log = () => undefined;
}

interface OperationResult {
  operation: Operation;
  connections: number;
  /** Distinct agents behind those connections. */
  agents: number;
  durationS: number;
  responses: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: LatencySummary;
  byRoute: Map<string, LatencySummary>;
  /** Completed pages (person, dashboard: their last request answered). */
  pages: number;
  errorCodes: Map<string, { count: number; message: string }>;
}

interface PhaseResult {
  name: string;
  connections: number;
  operations: OperationResult[];
  resources: PhaseResources;
  benchCpu: number;
}

/** The last request of a multi-request operation: a page is done when it is answered. */
const PAGE_END: Partial<Record<Operation, string>> = { person: 'consents', dashboard: 'notifications' };

interface Pids {
  api: number;
  /** The PostgreSQL server's main process when it runs on this machine (its backends' parent). */
  postmaster: number | null;
}

/** The parent of one of our backends, if that backend is a process of this machine. */
async function localPostmaster(pool: Pool): Promise<number | null> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`);
  try {
    const status = readFileSync(`/proc/${rows[0].pid}/status`, 'utf8');
    const name = /^Name:\s+(\S+)/m.exec(status)?.[1];
    const parent = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
    return name === 'postgres' && parent > 1 ? parent : null;
  } catch {
    return null;
  }
}

let interrupted = false;
const running = new Set<autocannon.Instance>();

/** Which sessions do which operation: the first `level` sessions, those able to (persons, orientation targets) first for the operations that need it. */
function assign(level: number, counts: Record<Operation, number>, sessions: readonly Session[], data: Map<string, StructureData>): { byOperation: Map<Operation, Session[]>; shared: number } {
  const free = sessions.slice(0, level);
  const used: Session[] = [];
  const byOperation = new Map<Operation, Session[]>();
  let shared = 0;
  // The most constrained first.
  for (const operation of ['orientation', 'contact', 'person', 'search', 'inbox', 'dashboard'] as const) {
    const chosen: Session[] = [];
    for (let k = 0; k < counts[operation]; k++) {
      const at = free.findIndex((s) => canDo(operation, data.get(s.structureId)));
      if (at >= 0) {
        chosen.push(free[at]);
        used.push(free[at]);
        free.splice(at, 1);
        continue;
      }
      // No free agent can: a second connection of an agent that can (the same session, another tab).
      const able = [...used, ...sessions].find((s) => canDo(operation, data.get(s.structureId)));
      if (!able) throw new Error(`no agent's structure can do "${operation}" (no followed person / no consented orientation target in the data)`);
      chosen.push(able);
      shared++;
    }
    byOperation.set(operation, chosen);
  }
  return { byOperation, shared };
}

async function runPhase(
  name: string,
  url: string,
  plan: Map<Operation, Session[]>,
  duration: number,
  rate: number,
  data: Map<string, StructureData>,
  seed: number,
  pids: Pids,
): Promise<PhaseResult> {
  const sampler = new ResourceSampler(pids.api, pids.postmaster);
  const benchCpuStart = process.cpuUsage();
  const wallStart = performance.now();
  sampler.start();
  const jobs = [...plan].map(async ([operation, sessions], opIndex): Promise<OperationResult> => {
    const latencies: number[] = [];
    const byRoute = new Map<string, number[]>();
    const errorCodes = new Map<string, { count: number; message: string }>();
    let pages = 0;
    let next = 0;
    const onError = (label: string, status: number, body: string) => {
      let code = '';
      let message = body.slice(0, 160);
      try {
        const parsed = JSON.parse(body) as { code?: string; message?: string };
        code = parsed.code ?? '';
        message = parsed.message ?? message;
      } catch {
        // not JSON
      }
      const key = `${label} ${status}${code ? ` ${code}` : ''}`;
      const seen = errorCodes.get(key);
      if (seen) seen.count++;
      else errorCodes.set(key, { count: 1, message });
    };
    const instance = autocannon({
      url,
      connections: sessions.length,
      duration,
      timeout: REQUEST_TIMEOUT_S,
      ...(rate > 0 ? { connectionRate: rate } : {}),
      title: `${name} ${operation}`,
      setupClient: (client) => {
        const index = next++;
        const session = sessions[index % sessions.length];
        const random = new Random(seed * 1_000_003 + opIndex * 10_007 + index);
        client.setRequests(requestsFor(operation, session, data.get(session.structureId) as StructureData, random, onError));
      },
    });
    running.add(instance);
    instance.on('response', (client, _status, _bytes, time) => {
      latencies.push(time);
      const label = client.requestIterator.currentRequest.label ?? operation;
      const list = byRoute.get(label);
      if (list) list.push(time);
      else byRoute.set(label, [time]);
      if (label === PAGE_END[operation]) pages++;
    });
    const result = await instance;
    running.delete(instance);
    const ok = Object.entries(result.statusCodeStats)
      .filter(([code]) => code.startsWith('2'))
      .reduce((s, [, v]) => s + Number(v.count), 0);
    return {
      operation,
      connections: sessions.length,
      agents: new Set(sessions.map((s) => s.email)).size,
      durationS: result.duration,
      responses: latencies.length,
      ok,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      latency: summarize(latencies),
      byRoute: new Map([...byRoute].map(([label, list]) => [label, summarize(list)])),
      pages: PAGE_END[operation] ? pages : latencies.length,
      errorCodes,
    };
  });
  const operations = await Promise.all(jobs);
  const resources = sampler.stop();
  const benchCpu = process.cpuUsage(benchCpuStart);
  const wall = performance.now() - wallStart;
  if (interrupted) throw new Error('interrupted');
  return { name, connections: [...plan.values()].reduce((s, l) => s + l.length, 0), operations, resources, benchCpu: (benchCpu.user + benchCpu.system) / 1000 / wall };
}

function printPhase(phase: PhaseResult): void {
  const r = phase.resources;
  console.log(
    `\n${phase.name}: ${phase.connections} connections; API peak RSS ${mb(r.peakRss)}; CPU (cores): machine ${r.machineCpu.toFixed(2)} of ${cpus().length} — ` +
      `API ${r.apiCpu.toFixed(2)}, PostgreSQL ${Number.isFinite(r.postgresCpu) ? r.postgresCpu.toFixed(2) : '(not local)'}, load tool ${phase.benchCpu.toFixed(2)}`,
  );
  const rows: string[][] = [];
  for (const r of phase.operations) {
    const pageRate = PAGE_END[r.operation] ? ` (${perSecond(r.pages / r.durationS)} pages/s)` : '';
    rows.push([
      OPERATION_LABELS[r.operation],
      `${r.connections}${r.agents < r.connections ? ` (${r.agents} agents)` : ''}`,
      `${perSecond(r.responses / r.durationS)}${pageRate}`,
      ms(r.latency.p50),
      ms(r.latency.p95),
      ms(r.latency.p99),
      ms(r.latency.max),
      fmt(r.non2xx),
      fmt(r.errors),
    ]);
    if (r.byRoute.size > 1) {
      for (const [label, s] of r.byRoute) rows.push([`  ${label}`, '', perSecond(s.count / r.durationS), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), '', '']);
    }
  }
  for (const line of table(['operation', 'conns', 'requests/s', 'p50', 'p95', 'p99', 'max', 'non-2xx', 'errors'], rows)) console.log(`  ${line}`);
  for (const r of phase.operations) {
    for (const [key, e] of r.errorCodes) console.log(`  ! ${key} ×${fmt(e.count)}: ${e.message}`);
    if (r.timeouts > 0) console.log(`  ! ${r.operation}: ${fmt(r.timeouts)} timeouts (> ${REQUEST_TIMEOUT_S} s)`);
  }
}

/** Raw contact logging: `workers` loops sharing a Pool of `poolSize`, for `duration` seconds. */
async function runRaw(url: string, poolSize: number, workers: number, duration: number, sessions: readonly Session[], data: Map<string, StructureData>, seed: number) {
  const pool = new Pool({ connectionString: url, max: poolSize, application_name: 'bench-load raw' });
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const started = performance.now();
  const deadline = started + duration * 1000;
  try {
    await Promise.all(
      Array.from({ length: workers }, async (_, index) => {
        const session = sessions[index % sessions.length];
        const structure = data.get(session.structureId) as StructureData;
        const random = new Random(seed * 1_000_003 + 99_991 + index);
        const actor: RawActor = { tenantId: session.tenantId, userId: session.userId, structureId: session.structureId, role: session.role, ip: '127.0.0.1', requestId: null };
        while (performance.now() < deadline && !interrupted) {
          const t = performance.now();
          const client = await pool.connect();
          try {
            await rawContact(client, { ...actor, requestId: randomUUID() }, contactBody(structure, random));
            latencies.push(performance.now() - t);
          } catch (error) {
            const key = error instanceof Error ? error.message.slice(0, 120) : String(error);
            errors.set(key, (errors.get(key) ?? 0) + 1);
          } finally {
            client.release();
          }
        }
      }),
    );
  } finally {
    await pool.end();
  }
  if (interrupted) throw new Error('interrupted');
  return { durationS: (performance.now() - started) / 1000, latency: summarize(latencies), errors };
}

/** One contact by ContactsService.create, one by the raw transaction, same body: their statements between START TRANSACTION and COMMIT must be the same. */
async function checkRawAgainstService(ds: DataSource, capture: StatementCapture, url: string, session: Session, structure: StructureData): Promise<{ same: boolean; lines: string[] }> {
  const random = new Random(7);
  let dto: CreateContactRequest = contactBody(structure, random);
  for (let i = 0; i < 50 && (!dto.personId || !dto.openRequestsForNeeds); i++) dto = contactBody(structure, random);
  // The most statements: a person, a site, two needs, a request opened.
  dto = { ...dto, needs: dto.needs.length > 1 ? dto.needs : [...dto.needs, { bouquet: dto.needs[0].bouquet === 1 ? 2 : 1, subNeed: null, detail: null }], openRequestsForNeeds: [0] };
  const auth: AuthContext = {
    sessionId: randomUUID(),
    userId: session.userId,
    tenantId: session.tenantId,
    membershipId: session.membershipId,
    role: session.role,
    structureId: session.structureId,
    csrfToken: 'bench',
    expiresAt: new Date(Date.now() + 3_600_000),
    ip: '127.0.0.1',
    requestId: 'bench-load-check',
  };
  const service = new ContactsService(ds, new PersonAccessService(ds), new AuditService(ds));
  const serviceDto = { ...dto, clientRequestId: randomUUID() };
  capture.recording = [];
  const contact = await service.create(auth, serviceDto as Parameters<ContactsService['create']>[1]);
  const captured = capture.recording;
  capture.recording = null;
  const begin = captured.findIndex((s) => /^START TRANSACTION/i.test(s.sql.trim()));
  const end = captured.findIndex((s) => /^COMMIT/i.test(s.sql.trim()));
  const inService = captured.slice(begin + 1, end);
  const outside = [...captured.slice(0, begin), ...captured.slice(end + 1)];

  const rawDto = { ...dto, clientRequestId: randomUUID() };
  const recorded: Statement[] = [];
  const client = new Pool({ connectionString: url, max: 1, application_name: 'bench-load check' });
  let raw: { contactId: string; requestIds: string[] };
  try {
    const connection = await client.connect();
    try {
      await connection.query('START TRANSACTION');
      raw = await contactStatements(
        async (sql, params) => {
          recorded.push({ sql, params });
          return (await connection.query(sql, params)).rows as Record<string, unknown>[];
        },
        { tenantId: auth.tenantId, userId: auth.userId, structureId: session.structureId, role: auth.role, ip: auth.ip, requestId: auth.requestId },
        rawDto,
      );
      await connection.query('COMMIT');
    } finally {
      connection.release();
    }
  } finally {
    await client.end();
  }
  const own = (clientRequestId: string, contactId: string, requestIds: readonly string[]) => ({
    clientRequestId,
    contactId,
    ...Object.fromEntries(requestIds.map((id, i) => [`request${i}`, id])),
  });
  const a = normalizeStatements(inService, own(serviceDto.clientRequestId, contact.id, contact.requestIds));
  const b = normalizeStatements(recorded, own(rawDto.clientRequestId, raw.contactId, raw.requestIds));
  const lines: string[] = [];
  const same = a.length === b.length && a.every((s, i) => s === b[i]);
  if (!same) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] === b[i]) continue;
      lines.push(`  statement ${i + 1}:`, `    API: ${a[i] ?? '(none)'}`, `    raw: ${b[i] ?? '(none)'}`);
    }
  }
  lines.unshift(
    `${same ? 'identical' : 'DIFFERENT'}: ${a.length} statements in the transaction (${needsLabel(dto)}); outside it, the API also ran: ${outside.map((s) => s.sql.replace(/\s+/g, ' ').trim().slice(0, 60)).join(' | ')}`,
  );
  return { same, lines };
}

const needsLabel = (dto: CreateContactRequest) =>
  `a person, ${dto.siteId ? 'a site, ' : ''}${dto.needs.length} needs, ${dto.openRequestsForNeeds?.length ?? 0} request opened`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const maxLevel = Math.max(...options.levels);
  const contactConcurrency = options.contactConcurrency ?? options.levels[0];
  const started = performance.now();
  const loadBefore = load();
  const db = await openScaleDatabase(options.databaseUrl, (line) => console.log(line), { statements: options.statements });
  const capture = new StatementCapture();
  const ds = new DataSource({ ...dataSourceOptions(db.url), logging: ['query'], logger: capture });
  const pool = new Pool({ connectionString: db.url, max: 4, application_name: 'bench-load' });
  let api: ApiProcess | null = null;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    console.log('\nInterrupted: stopping the load, then the API…');
    for (const instance of running) instance.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await ds.initialize();
    const meta: ScaleMetadata | null = await readMetadata((sql) => ds.query(sql));
    if (!meta) throw new Error(`${db.label} was not filled by seed:scale (no metadata): run npm run seed:scale first`);
    const executed = new Set(((await ds.query(`SELECT name FROM migrations`)) as { name: string }[]).map((r) => r.name));
    const pending = ds.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !executed.has(name));
    if (pending.length > 0) {
      throw new Error(`${db.label} lacks migrations of this code (${pending.join(', ')}); the API would apply them at start. Re-seed it (npm run seed:scale) with this code first.`);
    }
    const pace = options.rate > 0 ? `each agent ${options.rate} request/s at most (--rate)` : 'closed loop (each agent sends its next request as soon as the last is answered; --rate R to pace them)';
    const apiPoolSize = Number((dataSourceOptions(db.url).extra as { max?: number } | undefined)?.max ?? 10);

    const [{ version }] = (await ds.query(`SELECT current_setting('server_version') AS version`)) as { version: string }[];
    const settings = (await ds.query(
      `SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('shared_buffers','work_mem','max_connections','synchronous_commit','jit','wal_level') ORDER BY name`,
    )) as { name: string; setting: string }[];
    const [{ size }] = (await ds.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`)) as { size: string }[];
    const estimates = (await ds.query(
      `SELECT relname AS table, reltuples::bigint AS n FROM pg_class WHERE relkind = 'r' AND relname IN ('person','contact','referral','request','consent','app_user','structure') ORDER BY relname`,
    )) as { table: string; n: string }[];
    console.log(`bench:load — ${db.label}`);
    console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; load average before: ${loadBefore}`);
    console.log(`PostgreSQL ${version}: ${settings.map((s) => `${s.name} ${s.setting}`).join(', ')}`);
    console.log(`Data: seed:scale --persons ${fmt(meta.persons)} --seed ${meta.seed} --years ${meta.years}, département ${meta.departement}, now = ${meta.now}; database ${size}, rows ≈ ${estimates.map((e) => `${e.table} ${fmt(Number(e.n))}`).join(', ')}`);
    console.log(
      `Plan: levels ${options.levels.join(', ')} concurrent agents × ${options.duration} s (warm-up ${options.warmup} s), ${pace}; mix ${OPERATIONS.map((o) => `${o} ${MIX[o]} %`).join(', ')}; ` +
        `contact logging alone at ${contactConcurrency} (HTTP, then raw SQL on a pool of ${apiPoolSize}, the API's)`,
    );

    const statements = options.statements ? await StatementStats.open(pool, (line) => console.log(line)) : null;

    // The API, built for production.
    const reason = buildReason(options.build);
    if (reason) {
      console.log(`Building the API (${reason})…`);
      console.log(`  nx build api: ${((await buildApi()) / 1000).toFixed(1)} s`);
    } else console.log('dist/api/main.js is newer than its sources: not rebuilt (--build to force)');
    const port = await freePort();
    api = await startApi(db.url, port, { LOGIN_RATE_LIMIT_PER_MINUTE: '1000000', JOBS_ENABLED: 'true', LOG_LEVEL: 'info' });
    const pids: Pids = { api: api.pid, postmaster: await localPostmaster(pool) };
    const idle = new ResourceSampler(api.pid);
    idle.start();
    console.log(
      `API: node dist/api/main.js, pid ${api.pid}, ${api.url}, ready in ${(api.startupMs / 1000).toFixed(1)} s; ${Object.entries(api.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}; pool ${apiPoolSize} connections (+ the job queue's 4); RSS at start ${mb(idle.stop().peakRss)} (${rssParts(api.pid)})`,
    );

    // Agents and their data.
    const agents = await findAgents(pool, maxLevel);
    const loginStarted = performance.now();
    const { sessions, times } = await loginAll(api.url, agents, meta.password, maxLevel, LOGIN_BATCH);
    const loginTimes = summarize(times);
    const structures = new Set(sessions.map((s) => s.structureId));
    console.log(
      `Logged in ${sessions.length} sessions of ${agents.length} distinct agents (${sessions.filter((s) => s.role === 'reception_agent').length} reception agents, ` +
        `${sessions.filter((s) => s.role === 'social_worker').length} social workers) of ${structures.size} structures, ${LOGIN_BATCH} at a time, in ${((performance.now() - loginStarted) / 1000).toFixed(1)} s ` +
        `(login p50 ${ms(loginTimes.p50)}, p95 ${ms(loginTimes.p95)})`,
    );
    if (agents.length < maxLevel) {
      console.log(`  !! The data has ${agents.length} agents for ${maxLevel} concurrent ones: ${maxLevel - agents.length} sessions are second logins of the same agents (a larger seed has enough).`);
    }
    const data = await loadStructureData(pool, [...structures], PER_STRUCTURE, options.seed);
    const withPersons = [...data.values()].filter((d) => d.persons.length > 0).length;
    const withTargets = [...data.values()].filter((d) => d.orientations.length > 0).length;
    console.log(
      `Data per structure (≤ ${PER_STRUCTURE}): ${fmt([...data.values()].reduce((s, d) => s + d.persons.length, 0))} followed persons (${withPersons}/${data.size} structures have some), ` +
        `${fmt([...data.values()].reduce((s, d) => s + d.searches.length, 0))} search texts, ${fmt([...data.values()].reduce((s, d) => s + d.orientations.length, 0))} orientation targets ` +
        `(${withTargets} structures), ${[...data.values()].filter((d) => d.siteId).length} with a site`,
    );

    // The raw transaction is the service's.
    const checker = sessions.find((s) => (data.get(s.structureId)?.persons.length ?? 0) > 0);
    if (!checker) throw new Error('no session whose structure follows a person');
    const check = await checkRawAgainstService(ds, capture, db.url, checker, data.get(checker.structureId) as StructureData);
    console.log(`Raw transaction vs ContactsService.create: ${check.lines.join('\n')}`);

    let written = { contacts: 2, orientations: 0 };
    const count = (phase: PhaseResult) => {
      for (const r of phase.operations) {
        if (r.operation === 'contact') written = { ...written, contacts: written.contacts + r.ok };
        if (r.operation === 'orientation') written = { ...written, orientations: written.orientations + r.ok };
      }
    };
    const mixPlan = (level: number) => {
      const counts = splitConnections(level, MIX);
      return { counts, ...assign(level, counts, sessions, data) };
    };

    if (options.warmup > 0) {
      const { byOperation } = mixPlan(options.levels[0]);
      const warm = await runPhase('warm-up', api.url, byOperation, options.warmup, options.rate, data, options.seed + 17, pids);
      count(warm);
      console.log(`\nWarm-up: ${options.levels[0]} agents, ${options.warmup} s, ${fmt(warm.operations.reduce((s, r) => s + r.responses, 0))} requests (not reported)`);
    }

    const phases: PhaseResult[] = [];
    for (const level of options.levels) {
      const { counts, byOperation, shared } = mixPlan(level);
      await statements?.reset();
      const phase = await runPhase(`${level} concurrent agents`, api.url, byOperation, options.duration, options.rate, data, options.seed + level, pids);
      phases.push(phase);
      count(phase);
      printPhase(phase);
      console.log(`  (split: ${OPERATIONS.map((o) => `${o} ${counts[o]}`).join(', ')}${shared > 0 ? `; ${shared} connections reuse the session of an agent already connected` : ''})`);
      await statements?.print(`${level} agents`);
    }

    // Contact logging alone: HTTP, then raw SQL, same agents, same concurrency, same duration.
    const contactAgents = sessions.filter((s) => canDo('contact', data.get(s.structureId)));
    const contactSessions = Array.from({ length: contactConcurrency }, (_, i) => contactAgents[i % contactAgents.length]);
    const alone = await runPhase(`Contact logging alone, ${contactConcurrency} agents, HTTP`, api.url, new Map([['contact', contactSessions]]), options.duration, 0, data, options.seed + 99, pids);
    count(alone);
    printPhase(alone);
    const raw = await runRaw(db.url, apiPoolSize, contactConcurrency, options.duration, contactSessions, data, options.seed);
    written = { ...written, contacts: written.contacts + raw.latency.count };
    const httpContact = alone.operations[0];
    const httpRate = httpContact.ok / httpContact.durationS;
    const rawRate = raw.latency.count / raw.durationS;
    console.log(
      `\nRaw SQL, the same transaction with pg, ${contactConcurrency} workers on a Pool of ${apiPoolSize}, ${raw.durationS.toFixed(1)} s: ${perSecond(rawRate)} transactions/s ` +
        `(p50 ${ms(raw.latency.p50)}, p95 ${ms(raw.latency.p95)}, p99 ${ms(raw.latency.p99)}, from pool checkout to COMMIT)` +
        `${raw.errors.size > 0 ? `; errors: ${[...raw.errors].map(([k, v]) => `${k} ×${v}`).join('; ')}` : ''}`,
    );
    console.log(`HTTP / raw: ${perSecond(httpRate)} / ${perSecond(rawRate)} contacts/s = ${((100 * httpRate) / rawRate).toFixed(0)} %`);
    const mixedRates = phases.map((p) => {
      const c = p.operations.find((r) => r.operation === 'contact') as OperationResult;
      return `${p.connections} agents: ${perSecond(c.ok / c.durationS)}/s on ${c.connections} connections`;
    });
    console.log(`(For information, contacts logged during the mixed levels: ${mixedRates.join('; ')})`);
    const loadAfter = load();

    // Against the targets.
    console.log(`\nLoad average after: ${loadAfter} (before: ${loadBefore}). Total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    console.log('\nTargets (issue 7):');
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const highest = phases.find((p) => p.connections === TARGET.zeroErrorsLevel) ?? phases[phases.length - 1];
    const failures = highest.operations.reduce((s, r) => s + r.non2xx + r.errors, 0);
    console.log(
      `  ${verdict(failures === 0)}  0 errors at ${TARGET.zeroErrorsLevel} concurrent: ${fmt(failures)} non-2xx or failed requests at ${highest.connections}` +
        `${highest.connections !== TARGET.zeroErrorsLevel ? ` (the highest level run; ${TARGET.zeroErrorsLevel} was not)` : ''}`,
    );
    console.log(
      `  ${verdict(check.same && httpRate >= TARGET.rawRatio * rawRate)}  contact logging over HTTP ≥ ${TARGET.rawRatio * 100} % of raw SQL, at ${contactConcurrency} concurrent: ` +
        `${((100 * httpRate) / rawRate).toFixed(0)} %${check.same ? '' : ' (the raw transaction differs from the API’s: not comparable)'}`,
    );
    const at = phases.find((p) => p.connections === TARGET.p95Level);
    if (!at) console.log(`  ----  p95 ≤ ${TARGET.p95Ms} ms at ${TARGET.p95Level} concurrent: level ${TARGET.p95Level} not run`);
    for (const operation of ['search', 'person', 'contact'] as const) {
      if (!at) break;
      const r = at.operations.find((x) => x.operation === operation) as OperationResult;
      // A page is as slow as its slowest request (the browser sends the panels together): the worst route's p95.
      const [route, worst] = [...r.byRoute].reduce((a, b) => (b[1].p95 > a[1].p95 ? b : a));
      const detail = r.byRoute.size > 1 ? `slowest request ${route} p95 ${ms(worst.p95)} (all its requests: ${ms(r.latency.p95)})` : `p95 ${ms(worst.p95)}`;
      console.log(`  ${verdict(worst.p95 <= TARGET.p95Ms)}  p95 ≤ ${TARGET.p95Ms} ms at ${TARGET.p95Level} concurrent, ${OPERATION_LABELS[operation]}: ${detail}`);
    }
    if (at && options.rate === 0) {
      const throughput = at.operations.reduce((sum, r) => sum + r.responses / r.durationS, 0);
      console.log(
        `        (closed loop: with N agents always waiting for an answer, the mean latency is N / throughput — Little's law: ${at.connections} / ${perSecond(throughput)} requests/s = ` +
          `${ms((1000 * at.connections) / throughput)}; latency targets are for agents at a human pace: --rate 1)`,
      );
    }
    const peak = Math.max(...phases.map((p) => p.resources.peakRss), alone.resources.peakRss);
    console.log(`  ${verdict(peak <= TARGET.rssBytes)}  API RSS ≤ ${mb(TARGET.rssBytes)}: peak ${mb(peak)} (${phases.map((p) => `${p.connections}: ${mb(p.resources.peakRss)}`).join(', ')}, contacts alone ${mb(alone.resources.peakRss)})`);

    console.log(`\nJobs run by the API meanwhile: ${api.log.jobs.length > 0 ? api.log.jobs.join('; ') : 'none besides the queue start'}`);
    if (api.log.errorCount > 0) console.log(`API error log lines: ${api.log.errorCount}; first: ${api.log.errors.join(' | ')}`);
    console.log(
      `Written and kept: ${fmt(written.contacts)} contacts (the two of the check, the warm-up's, the levels', the contact phases'), ${fmt(written.orientations)} orientations, ${sessions.length} sessions.`,
    );
  } finally {
    for (const instance of running) instance.stop();
    if (api) await api.stop();
    await pool.end().catch(() => undefined);
    if (ds.isInitialized) await ds.destroy();
    await db.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.message === 'interrupted' ? 'Interrupted.' : err);
  process.exit(1);
});
