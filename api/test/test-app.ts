import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Role, StructureType } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { PasswordService } from '../src/auth/password.service';
import { loadConfig, type AppConfig } from '../src/config/app-config';
import { configureApp } from '../src/configure-app';
import { StructureEntity } from '../src/structures/structure.entity';
import { TenantEntity } from '../src/territory/tenant.entity';
import { TerritoryService } from '../src/territory/territory.service';
import { MembershipEntity } from '../src/users/membership.entity';
import { UserEntity } from '../src/users/user.entity';
import { adminQuery, TEMPLATE_DB, withDatabase } from './test-database';

export const TEST_PASSWORD = 'Test-Passerelle-2026!';

/** A signed-in client: sends the session cookie and, on writes, the X-XSRF-TOKEN header. */
export class TestSession {
  constructor(
    private readonly app: INestApplication,
    readonly cookies: string[],
    readonly csrfToken: string,
  ) {}
  private http() {
    return request(this.app.getHttpServer());
  }
  get(url: string) {
    return this.http().get(url).set('Cookie', this.cookies);
  }
  post(url: string, body?: object) {
    return this.http().post(url).set('Cookie', this.cookies).set('X-XSRF-TOKEN', this.csrfToken).send(body);
  }
  patch(url: string, body?: object) {
    return this.http().patch(url).set('Cookie', this.cookies).set('X-XSRF-TOKEN', this.csrfToken).send(body);
  }
  delete(url: string) {
    return this.http().delete(url).set('Cookie', this.cookies).set('X-XSRF-TOKEN', this.csrfToken);
  }
}

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  dataSource: DataSource;
  tenant: TenantEntity;
  http: () => ReturnType<typeof request>;
  createStructure(input?: Partial<Pick<StructureEntity, 'name' | 'type' | 'communeInsee'>>): Promise<StructureEntity>;
  createAgent(input: { role: Role; structureId?: string | null; email?: string; password?: string | null; tenantId?: string }): Promise<{
    user: UserEntity;
    membership: MembershipEntity;
    email: string;
    password: string;
  }>;
  login(email: string, password?: string): Promise<TestSession>;
  /** Creates an agent with this role (in a new structure unless given) and signs them in. */
  signIn(role: Role, structureId?: string | null): Promise<TestSession & { userId: string; membershipId: string; structureId: string | null }>;
  close(): Promise<void>;
}

/**
 * Boots the real application (same modules, pipes, filters, guards as production) on a fresh copy of
 * the migrated template database, with the Hautes-Alpes tenant and its communes loaded.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const serverUrl = process.env['PASSERELLE_TEST_SERVER_URL'];
  if (!serverUrl) throw new Error('PASSERELLE_TEST_SERVER_URL missing: run through the integration Jest config');
  const database = `passerelle_t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${database} TEMPLATE ${TEMPLATE_DB}`);
  const url = withDatabase(serverUrl, database);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    WEB_DIST_DIR: '/nonexistent',
    DEMO_DATA: 'false',
    JOBS_ENABLED: 'false', // no pg-boss workers unless a test asks for them
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config, url)] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configureApp(app, config);
  await app.init();
  const dataSource = app.get(DataSource);
  const tenant = await app.get(TerritoryService).ensureTenant('05');
  const passwords = app.get(PasswordService);
  const passwordHash = await passwords.hash(TEST_PASSWORD);
  const http = () => request(app.getHttpServer());

  const ctx: TestApp = {
    app,
    config,
    dataSource,
    tenant,
    http,
    createStructure: (input = {}) =>
      dataSource.manager.save(
        dataSource.manager.create(StructureEntity, {
          tenantId: tenant.id,
          name: input.name ?? `Structure ${randomUUID().slice(0, 8)}`,
          type: input.type ?? ('ccas' as StructureType),
          communeInsee: input.communeInsee ?? '05061',
        }),
      ),
    async createAgent({ role, structureId, email, password, tenantId }) {
      const address = email ?? `agent-${randomUUID().slice(0, 8)}@test.passerelle.fr`;
      const structure = role === 'platform_admin' ? null : (structureId ?? (await ctx.createStructure()).id);
      const user = await dataSource.manager.save(
        dataSource.manager.create(UserEntity, {
          tenantId: tenantId ?? tenant.id,
          email: address,
          firstName: 'Dominique',
          lastName: 'Test',
          passwordHash: password === null ? null : password ? await passwords.hash(password) : passwordHash,
        }),
      );
      const membership = await dataSource.manager.save(
        dataSource.manager.create(MembershipEntity, { tenantId: tenantId ?? tenant.id, userId: user.id, role, structureId: structure }),
      );
      return { user, membership, email: address, password: password ?? TEST_PASSWORD };
    },
    async login(email, password = TEST_PASSWORD) {
      const res = await http().post('/api/auth/login').send({ email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
      const csrf = cookies.find((c) => c.startsWith('XSRF-TOKEN='))?.slice('XSRF-TOKEN='.length) ?? '';
      return new TestSession(app, cookies, csrf);
    },
    async signIn(role, structureId) {
      const agent = await ctx.createAgent({ role, structureId });
      const session = await ctx.login(agent.email);
      return Object.assign(session, { userId: agent.user.id, membershipId: agent.membership.id, structureId: agent.membership.structureId });
    },
    async close() {
      await app.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
  return ctx;
}
