import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ALLOWED_ROLES_KEY, PUBLIC_KEY } from '../src/common/auth/allow.decorator';
import { createTestApp, type TestApp } from './test-app';

describe('platform (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('every registered route declares who may call it (@Allow with roles, or @Public)', () => {
    const discovery = new DiscoveryService(t.app.get(ModulesContainer));
    const scanner = new MetadataScanner();
    const reflector = t.app.get(Reflector);
    const routes: { route: string; isPublic: boolean; ok: boolean }[] = [];
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, (...args: unknown[]) => unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue; // not a route
        const targets = [handler, wrapper.metatype];
        const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true;
        const roles = reflector.getAllAndOverride<string[] | undefined>(ALLOWED_ROLES_KEY, targets);
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = [Reflect.getMetadata(PATH_METADATA, wrapper.metatype), Reflect.getMetadata(PATH_METADATA, handler)]
          .map((p: string) => p.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/');
        routes.push({ route: `${method} /api/${path}`, isPublic, ok: isPublic || (Array.isArray(roles) && roles.length > 0) });
      }
    }
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => !r.ok).map((r) => r.route)).toEqual([]);
    // The public surface is small and known.
    expect(routes.filter((r) => r.isPublic).map((r) => r.route).sort()).toEqual(
      ['GET /api/health', 'POST /api/auth/activate', 'POST /api/auth/login'],
    );
  });

  it('audit rows are append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await t.http().post('/api/auth/login').send({ email: 'nobody@test.passerelle.fr', password: 'whatever' });
    const [row] = await t.dataSource.query(`SELECT id FROM audit_event ORDER BY id DESC LIMIT 1`);
    expect(row).toBeDefined();
    await expect(t.dataSource.query(`UPDATE audit_event SET action = 'tampered' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM audit_event WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    const [still] = await t.dataSource.query(`SELECT action FROM audit_event WHERE id = $1`, [row.id]);
    expect(still.action).toBe('auth.login');
  });

  it('GET /api/health reports the database', async () => {
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('serves the OpenAPI document and security headers', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/me', '/api/health']));
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('unknown API routes answer a JSON 404, not HTML or a 500', async () => {
    const res = await t.http().get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('communes of the tenant are loaded from the official list and searchable without accents', async () => {
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM commune WHERE tenant_id = $1`, [t.tenant.id]);
    expect(n).toBeGreaterThan(150);
    const s = await t.signIn('reception_agent');
    const res = await s.get('/api/territory/communes?q=briancon');
    expect(res.status).toBe(200);
    expect(res.body[0]).toMatchObject({ inseeCode: '05023', name: 'Briançon' });
    const typo = await s.get('/api/territory/communes?q=Embrum');
    expect(typo.body.map((c: { name: string }) => c.name)).toContain('Embrun');
    const bad = await s.get('/api/territory/communes?limit=abc');
    expect(bad.status).toBe(400);
  });

  it('a platform admin opens a département: its communes are loaded once, a second time is a 409', async () => {
    const admin = await t.signIn('platform_admin');
    const res = await admin.post('/api/tenants', { code: '2A' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: '2A', name: 'Corse-du-Sud' });
    expect(res.body.communeCount).toBeGreaterThan(100);
    expect((await admin.post('/api/tenants', { code: '2A' })).status).toBe(409);
    expect((await admin.post('/api/tenants', { code: '99' })).status).toBe(400);
  });
});
