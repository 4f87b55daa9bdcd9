import type { CurrentUser, Person, PersonDocument } from '@passerelle/contracts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import request from 'supertest';
import { PasswordService } from '../src/auth/password.service';
import { AppConfig } from '../src/config/app-config';
import { CONTINUITY_JOURNAL_QUEUE } from '../src/continuity/continuity-journal.job';
import { JOB_QUEUE_SCHEMA } from '../src/retention/job-queue.service';
import { RETENTION_QUEUE } from '../src/retention/retention.job';
import { TEST_PASSWORD } from './test-app';
import { adminQuery, TEMPLATE_DB, withDatabase } from './test-database';
import { freePort } from '../src/database/free-port';

/**
 * The API is stateless (issue 7, "Beyond one machine"): two real API processes — `node` running
 * api/src/main.ts from source through scripts/bench.cjs's TypeScript runner, no build — on one
 * database and no load balancer. A session opened on one is honoured by the other, a document
 * uploaded through one is downloaded through the other, a job is worked by whichever process runs
 * the queue, and with both running it a stately job is worked once.
 *
 * NODE_ENV=production, as instances behind a load balancer run: the configuration then refuses the
 * demo session secret (so the shared SESSION_SECRET is the one in use), never loads the demo data,
 * and sets Secure cookies (no matter here: the test sends the Cookie header itself).
 *
 * The login throttle's counts are in PostgreSQL too (table rate_limit): a client gets one limit,
 * not one per process. Both processes run with a low LOGIN_RATE_LIMIT_PER_MINUTE, above the few
 * logins the other checks make (all from 127.0.0.1, so all counted together).
 */
const ROOT = resolve(__dirname, '../..');
const RUNNER = resolve(ROOT, 'scripts/bench.cjs');
const SESSION_SECRET = randomBytes(32).toString('hex');
/** Login attempts per client and minute, on both processes (the checks before the last log in 3 times). */
const LOGIN_LIMIT = 5;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

interface ApiProcess {
  name: string;
  url: string;
  /** Last lines of its stdout and stderr (in the error when it fails to start). */
  tail: string[];
  stop(): Promise<void>;
}

interface Session {
  cookies: string[];
  csrfToken: string;
}

describe('stateless API: two processes on one database (integration)', () => {
  const serverUrl = process.env['PASSERELLE_TEST_SERVER_URL'] as string;
  const database = `passerelle_t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const databaseUrl = withDatabase(serverUrl, database);
  const started: ApiProcess[] = [];
  let db: Client;
  let sender: PgBoss | null = null;
  let a: ApiProcess;
  let b: ApiProcess;
  let tenantId: string;
  let structureId: string;
  let email: string;

  beforeAll(async () => {
    if (!serverUrl) throw new Error('PASSERELLE_TEST_SERVER_URL missing: run through the integration Jest config');
    await adminQuery(serverUrl, `CREATE DATABASE ${database} TEMPLATE ${TEMPLATE_DB}`);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    ({ tenantId, structureId, email } = await seedAgent(db));
    // A serves HTTP only; B also runs the job queue (pg-boss workers and schedules).
    [a, b] = await Promise.all([startApi('A', databaseUrl, { JOBS_ENABLED: 'false' }), startApi('B', databaseUrl, { JOBS_ENABLED: 'true' })]);
    // JobQueue.send() refuses on a process without the queue, and no route enqueues a job: the jobs
    // are sent by a pg-boss client of the test's own, which only sends (no worker, no maintenance).
    sender = new PgBoss({ connectionString: databaseUrl, schema: JOB_QUEUE_SCHEMA, max: 1, supervise: false, schedule: false, migrate: false });
    sender.on('error', () => undefined);
    await sender.start();
  }, 90_000);

  afterAll(async () => {
    await sender?.stop({ graceful: false, wait: true }).catch(() => undefined);
    await Promise.all(started.map((p) => p.stop()));
    await db?.end().catch(() => undefined);
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }, 60_000);

  const http = (p: ApiProcess) => request(p.url);
  const get = (p: ApiProcess, url: string, s: Session) => http(p).get(url).set('Cookie', s.cookies);
  const post = (p: ApiProcess, url: string, s: Session, body?: object) =>
    http(p).post(url).set('Cookie', s.cookies).set('X-XSRF-TOKEN', s.csrfToken).send(body);

  async function login(p: ApiProcess): Promise<Session> {
    const res = await http(p).post('/api/auth/login').send({ email, password: TEST_PASSWORD });
    if (res.status !== 200) throw new Error(`login on ${p.name} failed: ${res.status} ${JSON.stringify(res.body)}`);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
    const csrfToken = cookies.find((c) => c.startsWith('XSRF-TOKEN='))?.slice('XSRF-TOKEN='.length) ?? '';
    return { cookies, csrfToken };
  }

  async function sendJob(queue: string): Promise<string | null> {
    return (sender as PgBoss).send(queue, {});
  }

  async function waitForJob(queue: string, id: string): Promise<PgBoss.JobWithMetadata<object> | null> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const job = await (sender as PgBoss).getJobById<object>(queue, id, { includeArchive: true });
      if (job?.state === 'completed' || job?.state === 'failed' || Date.now() > deadline) return job;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('a session opened on A works on B, for a read and for a CSRF-checked write; logging out on B ends it on A', async () => {
    const session = await login(a);

    const me = await get(b, '/api/auth/me', session);
    expect(me.status).toBe(200);
    expect((me.body as CurrentUser).email).toBe(email);
    expect((me.body as CurrentUser).activeMembership).toMatchObject({ role: 'reception_agent', structure: { id: structureId } });

    const forged = await http(b).post('/api/persons').set('Cookie', session.cookies).set('X-XSRF-TOKEN', 'not-the-token').send({});
    expect({ status: forged.status, code: forged.body.code }).toEqual({ status: 403, code: 'CSRF_INVALID' });
    const created = await post(b, '/api/persons', session, { usageLastName: 'Martin', firstNames: 'Camille', confirmNotDuplicate: true });
    expect(created.status).toBe(201);
    expect((await get(a, `/api/persons/${(created.body as Person).id}`, session)).status).toBe(200);

    expect((await post(b, '/api/auth/logout', session)).status).toBe(204);
    const after = await get(a, '/api/auth/me', session);
    expect({ status: after.status, code: after.body.code }).toEqual({ status: 401, code: 'AUTH_REQUIRED' });
  });

  it('a document uploaded through A is downloaded intact through B (the bytes are in PostgreSQL)', async () => {
    const session = await login(b);
    const person = await post(a, '/api/persons', session, { usageLastName: 'Bernard', firstNames: 'Alex', confirmNotDuplicate: true });
    expect(person.status).toBe(201);
    const personId = (person.body as Person).id;

    const upload = await http(a)
      .post(`/api/persons/${personId}/documents`)
      .set('Cookie', session.cookies)
      .set('X-XSRF-TOKEN', session.csrfToken)
      .field('kind', 'identity')
      .field('category', 'identity_contact')
      .field('title', 'Carte d’identité')
      .attach('file', PDF, { filename: 'cni.pdf', contentType: 'application/pdf' });
    expect(upload.status).toBe(201);
    const document = upload.body as PersonDocument;
    expect(document.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));

    const download = await get(b, `/api/persons/${personId}/documents/${document.id}/content`, session).buffer(true);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(download.body as Buffer, PDF)).toBe(0);
  });

  it('a job sent while only B runs the queue is worked by B, and its effect is in the shared database', async () => {
    // An orientation sent 16 days ago and never answered: the journal opens a continuity alert for it.
    const to = await insertStructure(db, tenantId, 'Structure destinataire (test stateless)');
    const personId = await insertPerson(db, tenantId, structureId);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, to_structure_id, bouquet, sent_at)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, 14, now() - interval '16 days') RETURNING id`,
      [tenantId, personId, structureId, to],
    );

    const id = await sendJob(CONTINUITY_JOURNAL_QUEUE);
    expect(id).toEqual(expect.any(String));
    const job = await waitForJob(CONTINUITY_JOURNAL_QUEUE, id as string);
    expect(job?.state).toBe('completed');
    expect(job?.retryCount).toBe(0);
    const alerts = await db.query(`SELECT kind, structure_id FROM continuity_alert WHERE subject_id = $1`, [rows[0].id]);
    expect(alerts.rows).toEqual([{ kind: 'referral_unanswered', structure_id: to }]);
  });

  it('A restarted with the queue on keeps a session opened before; with both workers a stately job runs once', async () => {
    const session = await login(b);
    await a.stop();
    a = await startApi('A', databaseUrl, { JOBS_ENABLED: 'true' });

    // Nothing of the session lived in the old process: the new one honours it, and logs it out for B.
    expect((await get(a, '/api/auth/me', session)).status).toBe(200);
    expect((await post(a, '/api/auth/logout', session)).status).toBe(204);
    expect((await get(b, '/api/auth/me', session)).status).toBe(401);

    // Both processes registered the same queues and schedules: still one schedule per queue.
    const schedules = await db.query<{ name: string; n: number }>(`SELECT name, count(*)::int AS n FROM pgboss.schedule GROUP BY name`);
    expect(schedules.rows.map((r) => r.n)).toEqual(schedules.rows.map(() => 1));
    expect(schedules.rows.map((r) => r.name)).toContain(RETENTION_QUEUE);

    // Four sends at once to the stately retention queue: it keeps at most one waiting. Each run
    // writes one tenant-less `retention.run` audit row, so that count is the number of runs.
    const runs = async () =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'retention.run' AND tenant_id IS NULL`)).rows[0].n;
    const before = await runs();
    const ids = (await Promise.all([1, 2, 3, 4].map(() => sendJob(RETENTION_QUEUE)))).filter((id): id is string => id !== null);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    expect(ids.length).toBeLessThanOrEqual(2);
    for (const id of ids) {
      const job = await waitForJob(RETENTION_QUEUE, id);
      expect({ state: job?.state, retryCount: job?.retryCount }).toEqual({ state: 'completed', retryCount: 0 });
    }
    // A second worker that had fetched the same job would be finishing it (a run takes ~100 ms here):
    // give it a second to write its row.
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await runs()) - before).toBe(ids.length);
  }, 60_000);

  // Last: it leaves the test client blocked on both processes for a minute.
  it('login attempts sent alternately to A and B share one limit: the next one is refused by either process', async () => {
    // From no count: the logins of the checks above were counted for this client too.
    await db.query(`DELETE FROM rate_limit`);
    // Wrong password for an address that is not the agent's: no account lockout mixes in.
    const attempt = (p: ApiProcess) =>
      http(p).post('/api/auth/login').send({ email: `inconnu-${randomUUID().slice(0, 8)}@test.passerelle.fr`, password: 'Wrong-Password-123!' });
    const statuses: string[] = [];
    for (let i = 0; i < LOGIN_LIMIT; i++) {
      const p = i % 2 === 0 ? a : b;
      statuses.push(`${p.name} ${(await attempt(p)).status}`);
    }
    expect(statuses).toEqual(Array.from({ length: LOGIN_LIMIT }, (_, i) => `${i % 2 === 0 ? 'A' : 'B'} 401`));

    // Each process alone has seen about half the attempts, fewer than the limit: only a shared count refuses.
    for (const p of [b, a]) {
      const refused = await attempt(p);
      expect({ process: p.name, status: refused.status, code: refused.body.code }).toEqual({ process: p.name, status: 429, code: 'TOO_MANY_REQUESTS' });
      expect(Number(refused.headers['retry-after-login'])).toBeGreaterThan(55);
    }
    const rows = await db.query<{ throttler: string; hits: number }>(`SELECT throttler, hits FROM rate_limit`);
    expect(rows.rows).toEqual([{ throttler: 'login', hits: LOGIN_LIMIT + 1 }]);
  });

  /** Starts the real entry point from source; resolves once GET /api/health answers 200. */
  async function startApi(name: string, url: string, settings: Record<string, string>): Promise<ApiProcess> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Only our settings: nothing the configuration reads is inherited from the caller's environment.
    for (const key of [...Object.keys(new AppConfig()), 'PUBLIC_URL', 'DATABASE_URL', 'COOKIE_SECURE', 'MAIL_SMTP_URL']) delete env[key];
    Object.assign(env, {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: url,
      SESSION_SECRET,
      LOG_LEVEL: 'warn',
      WEB_DIST_DIR: '/nonexistent',
      LOGIN_RATE_LIMIT_PER_MINUTE: String(LOGIN_LIMIT),
      ...settings,
    });
    const child: ChildProcess = spawn(process.execPath, [RUNNER, 'api/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill); // never leave it running, whatever ends the Jest worker
    const tail: string[] = [];
    const keep = (line: string) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    };
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', keep);
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', keep);
    let hasExited = false;
    const exit = new Promise<void>((done) =>
      child.on('exit', () => {
        hasExited = true;
        process.off('exit', kill);
        done();
      }),
    );
    const api: ApiProcess = {
      name,
      url: `http://127.0.0.1:${port}`,
      tail,
      async stop() {
        if (hasExited) return;
        child.kill('SIGTERM'); // graceful: Nest's shutdown hooks stop the job queue and close the pool
        const timer = setTimeout(kill, 15_000);
        await exit;
        clearTimeout(timer);
      },
    };
    started.push(api);

    const deadline = Date.now() + 60_000;
    for (;;) {
      if (hasExited) throw new Error(`API ${name} exited during start-up:\n  ${tail.join('\n  ')}`);
      if (Date.now() > deadline) throw new Error(`API ${name} did not answer ${api.url}/api/health within 60 s:\n  ${tail.join('\n  ')}`);
      const status = await fetch(`${api.url}/api/health`).then(
        (res) => res.status,
        () => 0,
      );
      if (status === 200) return api;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

/** A reception agent in a structure of the Hautes-Alpes tenant, with the test password. */
async function seedAgent(db: Client): Promise<{ tenantId: string; structureId: string; email: string }> {
  const tenant = await db.query<{ id: string }>(`INSERT INTO tenant (code, name) VALUES ('05', 'Hautes-Alpes') RETURNING id`);
  const tenantId = tenant.rows[0].id;
  const structureId = await insertStructure(db, tenantId, 'CCAS (test stateless)');
  const email = `agent-${randomUUID().slice(0, 8)}@test.passerelle.fr`;
  const passwordHash = await new PasswordService().hash(TEST_PASSWORD);
  const user = await db.query<{ id: string }>(
    `INSERT INTO app_user (tenant_id, email, first_name, last_name, password_hash) VALUES ($1, $2, 'Dominique', 'Test', $3) RETURNING id`,
    [tenantId, email, passwordHash],
  );
  await db.query(`INSERT INTO membership (tenant_id, user_id, role, structure_id) VALUES ($1, $2, 'reception_agent', $3)`, [
    tenantId,
    user.rows[0].id,
    structureId,
  ]);
  return { tenantId, structureId, email };
}

async function insertStructure(db: Client, tenantId: string, name: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(`INSERT INTO structure (tenant_id, name, type) VALUES ($1, $2, 'ccas') RETURNING id`, [tenantId, name]);
  return rows[0].id;
}

/** A person's file created by a structure, which follows it (as reception-fixtures' insertPerson). */
async function insertPerson(db: Client, tenantId: string, structureId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO person (tenant_id, usage_last_name, first_names, created_by_structure_id) VALUES ($1, 'Durand', 'Alex', $2) RETURNING id`,
    [tenantId, structureId],
  );
  await db.query(`INSERT INTO person_follow (tenant_id, person_id, structure_id, reason) VALUES ($1, $2, $3, 'created')`, [tenantId, rows[0].id, structureId]);
  return rows[0].id;
}

