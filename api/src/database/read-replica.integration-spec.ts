import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { ContactIndicators, DirectorySearchHit, DirectoryService, Person } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource, type QueryRunner, type ReplicationMode } from 'typeorm';
import { TestSession, TEST_PASSWORD } from '../../test/test-app';
import { AppModule } from '../app.module';
import { AuditService } from '../audit/audit.service';
import { PasswordService } from '../auth/password.service';
import type { AuthContext } from '../common/auth/auth-context';
import { loadConfig } from '../config/app-config';
import { configureApp } from '../configure-app';
import { IndicatorsService } from '../indicators/indicators.service';
import { StructureEntity } from '../structures/structure.entity';
import { TerritoryService } from '../territory/territory.service';
import { MembershipEntity } from '../users/membership.entity';
import { UserEntity } from '../users/user.entity';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase } from './embedded-postgres';
import { runMigrations } from './migrate';
import { startPrimary, startStreamingReplica, waitForReplay, type LocalServer } from './testing/streaming-replica';
import { freePort } from './free-port';

/**
 * Read replicas for real: a primary and a hot standby streaming from it (PostgreSQL 15, loopback
 * ports), the whole app configured with DATABASE_URL = primary and DATABASE_REPLICA_URLS = replica.
 * Routing is observed on the servers themselves: every query runner the DataSource hands out is
 * traced, and before it is released it asks its own connection `inet_server_port()` and
 * `pg_is_in_recovery()`.
 */

interface RunnerTrace {
  mode: ReplicationMode;
  statements: string[];
  server?: { port: number; inRecovery: boolean };
}

const DB = 'passerelle';
const PERIOD = (() => {
  const today = new Date().toISOString().slice(0, 10);
  const start = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  return `from=${start}&to=${today}`;
})();


async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Fails with the response body when the status is not the expected one. */
function expectStatus(res: { status: number; body: unknown }, status: number): void {
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
}

/** A report without the instant it was computed at. */
function figures(report: object): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
  delete copy['generatedAt'];
  return copy;
}

describe('read replicas (integration: primary + streaming replica)', () => {
  let root: string;
  let primary: LocalServer | undefined;
  let replica: LocalServer | undefined;
  let app: INestApplication | undefined;
  let primaryOnly: DataSource | undefined;
  let dataSource: DataSource;
  let admin: TestSession;
  let auth: AuthContext;
  let structureId: string;
  const traces: RunnerTrace[] = [];

  const primaryUrl = () => (primary as LocalServer).url(DB);
  const replicaUrl = () => (replica as LocalServer).url(DB);

  /** The traced runners of one call, once it has answered. */
  async function traced<T>(call: () => PromiseLike<T>): Promise<{ result: T; runners: RunnerTrace[] }> {
    traces.length = 0;
    const result = await call();
    return { result, runners: traces.filter((t) => t.statements.length > 0) };
  }
  const onReplica = (t: RunnerTrace) => t.server?.port === replica?.port && t.server?.inRecovery === true;
  const onPrimary = (t: RunnerTrace) => t.server?.port === primary?.port && t.server?.inRecovery === false;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'passerelle-replica-'));
    chmodSync(root, 0o755); // as root, the servers run as the 'postgres' system user
    try {
      primary = await startPrimary(join(root, 'primary'), await freePort());
      await ensureDatabase(primaryUrl());
      await runMigrations(primaryUrl());
      replica = await startStreamingReplica(primary, join(root, 'replica'), await freePort());
      await waitForReplay(primary, replica);

      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: primaryUrl(),
        DATABASE_REPLICA_URLS: replicaUrl(),
        LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
        WEB_DIST_DIR: '/nonexistent',
        DEMO_DATA: 'false',
        JOBS_ENABLED: 'false',
      });
      const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, primaryUrl())] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      configureApp(app, config);
      await app.init();
      dataSource = app.get(DataSource);

      // Trace every query runner: its mode, its statements, and (asked of its own connection) which server it ran on.
      const create = dataSource.createQueryRunner.bind(dataSource);
      jest.spyOn(dataSource, 'createQueryRunner').mockImplementation((mode?: ReplicationMode): QueryRunner => {
        const runner = create(mode);
        const trace: RunnerTrace = { mode: mode ?? 'master', statements: [] };
        traces.push(trace);
        const query = runner.query.bind(runner) as (text: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
        runner.query = ((text: string, parameters?: unknown[], structured?: boolean) => {
          trace.statements.push(text);
          return query(text, parameters, structured);
        }) as QueryRunner['query'];
        const release = runner.release.bind(runner);
        runner.release = async () => {
          if (trace.statements.length > 0 && !runner.isReleased) {
            const [row] = (await query(`SELECT inet_server_port() AS port, pg_is_in_recovery() AS in_recovery`)) as { port: number; in_recovery: boolean }[];
            trace.server = { port: row.port, inRecovery: row.in_recovery };
          }
          return release();
        };
        return runner;
      });

      // The tenant, a structure and its admin (coordinator-like reader of indicators, directory manager, reception agent).
      const tenant = await app.get(TerritoryService).ensureTenant('05');
      const structure = await dataSource.manager.save(
        dataSource.manager.create(StructureEntity, { tenantId: tenant.id, name: 'CCAS de Gap (test réplicas)', type: 'ccas', communeInsee: '05061' }),
      );
      structureId = structure.id;
      const email = `admin-${randomUUID().slice(0, 8)}@test.passerelle.fr`;
      const user = await dataSource.manager.save(
        dataSource.manager.create(UserEntity, {
          tenantId: tenant.id,
          email,
          firstName: 'Dominique',
          lastName: 'Test',
          passwordHash: await app.get(PasswordService).hash(TEST_PASSWORD),
        }),
      );
      const membership = await dataSource.manager.save(
        dataSource.manager.create(MembershipEntity, { tenantId: tenant.id, userId: user.id, role: 'structure_admin', structureId }),
      );
      const login = await request(app.getHttpServer()).post('/api/auth/login').send({ email, password: TEST_PASSWORD });
      expectStatus(login, 200);
      const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
      const csrf = cookies.find((c) => c.startsWith('XSRF-TOKEN='))?.slice('XSRF-TOKEN='.length) ?? '';
      admin = new TestSession(app, cookies, csrf);
      auth = {
        sessionId: randomUUID(),
        userId: user.id,
        tenantId: tenant.id,
        membershipId: membership.id,
        role: 'structure_admin',
        structureId,
        csrfToken: csrf,
        expiresAt: new Date(Date.now() + 3_600_000),
        ip: null,
        requestId: null,
      };
      // The same report computed on the primary alone (no replication configured), for (c).
      primaryOnly = new DataSource(dataSourceOptions(primaryUrl()));
      await primaryOnly.initialize();
    } catch (error) {
      throw new Error(`${String(error)}\n--- primary log ---\n${primary?.log() ?? ''}\n--- replica log ---\n${replica?.log() ?? ''}`);
    }
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await primaryOnly?.destroy().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await replica?.stop().catch(() => undefined);
    await primary?.stop().catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('(a) runs a hot standby that streams from the primary', async () => {
    const [standby] = await sql<{ recovery: boolean; status: string }>(
      replicaUrl(),
      `SELECT pg_is_in_recovery() AS recovery, (SELECT status FROM pg_stat_wal_receiver) AS status`,
    );
    expect(standby).toEqual({ recovery: true, status: 'streaming' });
    const [{ recovery }] = await sql<{ recovery: boolean }>(primaryUrl(), `SELECT pg_is_in_recovery() AS recovery`);
    expect(recovery).toBe(false);
    await expect(sql(replicaUrl(), `CREATE TABLE replica_write_attempt (id int)`)).rejects.toThrow(/read-only transaction/);

    const marker = `streamed-${randomUUID()}`;
    await sql(primaryUrl(), `CREATE TABLE IF NOT EXISTS replication_probe (marker text)`);
    await sql(primaryUrl(), `INSERT INTO replication_probe VALUES ($1)`, [marker]);
    const deadline = Date.now() + 5_000;
    let seen = 0;
    while (seen === 0 && Date.now() < deadline) {
      [{ seen }] = await sql<{ seen: number }>(replicaUrl(), `SELECT count(*)::int AS seen FROM replication_probe WHERE marker = $1`, [marker]).catch(() => [
        { seen: 0 }, // the table itself may not be replayed yet
      ]);
      if (seen === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe(1);
  });

  it('(b) keeps writes and their read-back on the primary, even while the replica lags', async () => {
    await sql(replicaUrl(), `SELECT pg_wal_replay_pause()`);
    try {
      const created = await traced(() =>
        admin.post('/api/persons', { usageLastName: 'Réplicanne', firstNames: 'Camille', birthDate: '1980-05-04', confirmNotDuplicate: true }),
      );
      expectStatus(created.result, 201);
      const personId = (created.result.body as Person).id;
      const readBack = await traced(() => admin.get(`/api/persons/${personId}`));
      expectStatus(readBack.result, 200);
      expect((readBack.result.body as Person).id).toBe(personId);
      const contact = await traced(() =>
        admin.post('/api/contacts', { clientRequestId: randomUUID(), personId, channel: 'in_person', needs: [{ bouquet: 5, subNeed: null, detail: null }], answer: 'information' }),
      );
      expectStatus(contact.result, 201);
      const service = await traced(() => admin.post(`/api/structures/${structureId}/services`, { name: 'Aide au logement (réplica)', bouquets: [5] }));
      expectStatus(service.result, 201);
      expect((service.result.body as DirectoryService).name).toBe('Aide au logement (réplica)');

      for (const { runners } of [created, readBack, contact, service]) {
        expect(runners.length).toBeGreaterThan(0);
        expect(runners.filter((r) => !onPrimary(r))).toEqual([]);
        expect(runners.every((r) => r.mode === 'master')).toBe(true);
      }
      // The replica is paused: it has not seen the person yet, so its read-back could only have come from the primary.
      const [{ n }] = await sql<{ n: number }>(replicaUrl(), `SELECT count(*)::int AS n FROM person WHERE id = $1`, [personId]);
      expect(n).toBe(0);

      // The directory search is lag-tolerant: on the paused replica, the new service is not there yet.
      const lagging = await traced(() => admin.get('/api/directory/services?q=logement'));
      expectStatus(lagging.result, 200);
      expect((lagging.result.body as DirectorySearchHit[]).map((h) => h.name)).not.toContain('Aide au logement (réplica)');
    } finally {
      await sql(replicaUrl(), `SELECT pg_wal_replay_resume()`);
    }
    await waitForReplay(primary as LocalServer, replica as LocalServer);

    const search = await traced(() => admin.get('/api/directory/services?q=logement'));
    expectStatus(search.result, 200);
    expect((search.result.body as DirectorySearchHit[]).map((h) => h.name)).toContain('Aide au logement (réplica)');
    const lagTolerant = search.runners.filter((r) => r.mode === 'slave');
    expect(lagTolerant).toHaveLength(1);
    expect(search.runners.filter(onReplica)).toEqual(lagTolerant);
    expect(lagTolerant[0].statements.some((s) => /FROM service s/.test(s))).toBe(true);
    // Everything else of the request (the session check) ran on the primary; no search SQL there.
    const others = search.runners.filter((r) => r.mode !== 'slave');
    expect(others.filter((r) => !onPrimary(r))).toEqual([]);
    expect(others.flatMap((r) => r.statements).some((s) => /FROM service s/.test(s))).toBe(false);
  });

  it('(c) reads the indicators on the replica, equal to the primary once it has caught up', async () => {
    await waitForReplay(primary as LocalServer, replica as LocalServer);
    const report = await traced(() => admin.get(`/api/indicators/contacts?${PERIOD}`));
    expectStatus(report.result, 200);
    const fromReplica = report.result.body as ContactIndicators;
    expect(fromReplica.total).toBeGreaterThanOrEqual(1);

    const lagTolerant = report.runners.filter((r) => r.mode === 'slave');
    expect(lagTolerant).toHaveLength(1);
    expect(report.runners.filter(onReplica)).toEqual(lagTolerant);
    expect(report.runners.filter((r) => r.mode !== 'slave' && !onPrimary(r))).toEqual([]);
    expect(lagTolerant[0].statements).toEqual(expect.arrayContaining(['START TRANSACTION', 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'COMMIT']));
    expect(lagTolerant[0].statements.some((s) => /FROM contact/.test(s))).toBe(true);

    const [from, to] = PERIOD.split('&').map((p) => p.split('=')[1]);
    const onThePrimary = await new IndicatorsService(primaryOnly as DataSource, new AuditService(primaryOnly as DataSource)).report(auth, 'contacts', { from, to });
    expect(figures(fromReplica)).toEqual(figures(onThePrimary));
  });

  it('(d) writes the audit row of an export read on the replica on the primary', async () => {
    await waitForReplay(primary as LocalServer, replica as LocalServer);
    const exported = await traced(() => admin.get(`/api/indicators/contacts/export?format=csv&${PERIOD}`));
    expectStatus(exported.result, 200);

    const lagTolerant = exported.runners.filter((r) => r.mode === 'slave');
    expect(lagTolerant).toHaveLength(1);
    expect(exported.runners.filter(onReplica)).toEqual(lagTolerant);
    expect(exported.runners.filter((r) => r.mode !== 'slave' && !onPrimary(r))).toEqual([]);
    expect(lagTolerant[0].statements.some((s) => /audit_event/.test(s))).toBe(false);
    const auditWriters = exported.runners.filter((r) => r.statements.some((s) => /INSERT INTO "audit_event"/.test(s)));
    expect(auditWriters.length).toBeGreaterThan(0);
    expect(auditWriters.every(onPrimary)).toBe(true);

    const rows = await sql<{ entity_id: string; reason: string }>(
      primaryUrl(),
      `SELECT entity_id, reason FROM audit_event WHERE action = 'indicators.export' AND user_id = $1`,
      [auth.userId],
    );
    expect(rows).toEqual([{ entity_id: 'contacts', reason: 'csv:structure' }]);
  });
});
