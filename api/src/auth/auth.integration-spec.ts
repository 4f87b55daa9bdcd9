import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/test-app';

describe('authentication (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_ATTEMPTS: '3', LOGIN_LOCK_MINUTES: '15', SESSION_IDLE_MINUTES: '30' });
  });
  afterAll(() => t.close());

  const auditRows = (userId: string) =>
    t.dataSource.query(`SELECT action, outcome, reason FROM audit_event WHERE user_id = $1 ORDER BY id`, [userId]);

  it('logs in with e-mail and password, sets httpOnly session + XSRF cookies, and /me answers', async () => {
    const agent = await t.createAgent({ role: 'reception_agent' });
    const res = await t.http().post('/api/auth/login').send({ email: agent.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.email).toBe(agent.email);
    expect(res.body.activeMembership.role).toBe('reception_agent');
    const cookies: string[] = res.headers['set-cookie'] as unknown as string[];
    const session = cookies.find((c) => c.startsWith('passerelle_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(cookies.find((c) => c.startsWith('XSRF-TOKEN='))).not.toMatch(/HttpOnly/);

    const s = await t.login(agent.email);
    const me = await s.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.tenant.code).toBe('05');
    expect(await auditRows(agent.user.id)).toEqual(expect.arrayContaining([{ action: 'auth.login', outcome: 'success', reason: 'password' }]));
  });

  it('refuses a wrong password with 401 INVALID_CREDENTIALS and audits it without the e-mail', async () => {
    const agent = await t.createAgent({ role: 'social_worker' });
    const res = await t.http().post('/api/auth/login').send({ email: agent.email, password: 'Wrong-Password-123!' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', message: expect.stringContaining('incorrect') });
    expect(await auditRows(agent.user.id)).toEqual([{ action: 'auth.login', outcome: 'failure', reason: 'bad_password' }]);

    const unknown = await t.http().post('/api/auth/login').send({ email: 'nobody@test.passerelle.fr', password: 'x' });
    expect(unknown.status).toBe(401);
    const rows = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE reason = 'unknown_account'`);
    expect(rows[0].n).toBeGreaterThan(0);
    const leaked = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event e WHERE e::text ILIKE '%nobody@%'`);
    expect(leaked[0].n).toBe(0);
  });

  it('rejects malformed login bodies with 400 and field details, never 500', async () => {
    const res = await t.http().post('/api/auth/login').send({ email: 'not-an-email', password: '', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['email', 'password', 'extra']));
    const broken = await t.http().post('/api/auth/login').set('Content-Type', 'application/json').send('{"email":');
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('VALIDATION_FAILED');
  });

  it('locks the account after repeated failures, even for the right password, then unlocks after the delay', async () => {
    const agent = await t.createAgent({ role: 'reception_agent' });
    const bad = () => t.http().post('/api/auth/login').send({ email: agent.email, password: 'Wrong-Password-123!' });
    expect((await bad()).status).toBe(401);
    expect((await bad()).status).toBe(401);
    const third = await bad();
    expect(third.status).toBe(423);
    expect(third.body.code).toBe('ACCOUNT_LOCKED');
    const right = await t.http().post('/api/auth/login').send({ email: agent.email, password: TEST_PASSWORD });
    expect(right.status).toBe(423);

    // Move the lock into the past: the right password works again and the counter resets.
    await t.dataSource.query(`UPDATE app_user SET locked_until = now() - interval '1 minute' WHERE id = $1`, [agent.user.id]);
    const after = await t.http().post('/api/auth/login').send({ email: agent.email, password: TEST_PASSWORD });
    expect(after.status).toBe(200);
    const [row] = await t.dataSource.query(`SELECT failed_login_count, locked_until FROM app_user WHERE id = $1`, [agent.user.id]);
    expect(row).toEqual({ failed_login_count: 0, locked_until: null });
  });

  it('expires a session after inactivity and at its absolute lifetime', async () => {
    const agent = await t.createAgent({ role: 'reception_agent' });
    const idle = await t.login(agent.email);
    await t.dataSource.query(`UPDATE user_session SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [agent.user.id]);
    const res = await idle.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SESSION_EXPIRED');
    expect((await idle.get('/api/auth/me')).status).toBe(401);

    const old = await t.login(agent.email);
    await t.dataSource.query(`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND revoked_at IS NULL`, [agent.user.id]);
    const expired = await old.get('/api/auth/me');
    expect(expired.body.code).toBe('SESSION_EXPIRED');
  });

  it('logs out: the session cookie no longer works', async () => {
    const agent = await t.createAgent({ role: 'coordinator' });
    const s = await t.login(agent.email);
    expect((await s.post('/api/auth/logout')).status).toBe(204);
    const res = await s.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_REQUIRED');
  });

  it('refuses state-changing requests without the CSRF header (403 CSRF_INVALID, audited)', async () => {
    const agent = await t.createAgent({ role: 'reception_agent' });
    const s = await t.login(agent.email);
    const res = await t.http().post('/api/auth/logout').set('Cookie', s.cookies);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_INVALID');
    const wrong = await t.http().post('/api/auth/logout').set('Cookie', s.cookies).set('X-XSRF-TOKEN', 'forged');
    expect(wrong.status).toBe(403);
    expect(await auditRows(agent.user.id)).toEqual(expect.arrayContaining([{ action: 'authz.denied', outcome: 'denied', reason: 'csrf' }]));
    expect((await s.get('/api/auth/me')).status).toBe(200);
  });

  it('answers 401 AUTH_REQUIRED without a session and 403 FORBIDDEN (audited) for a role not allowed', async () => {
    expect((await t.http().get('/api/auth/me')).body.code).toBe('AUTH_REQUIRED');
    const s = await t.signIn('reception_agent');
    const res = await s.get('/api/tenants');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(await auditRows(s.userId)).toEqual(expect.arrayContaining([{ action: 'authz.denied', outcome: 'denied', reason: 'role' }]));
  });

  it('switches between the memberships of one user', async () => {
    const agent = await t.createAgent({ role: 'reception_agent' });
    const other = await t.createStructure({ name: 'Mission locale test', type: 'mission_locale' });
    const [second] = await t.dataSource.query(
      `INSERT INTO membership (tenant_id, user_id, structure_id, role) VALUES ($1, $2, $3, 'social_worker') RETURNING id`,
      [t.tenant.id, agent.user.id, other.id],
    );
    const s = await t.login(agent.email);
    expect((await s.get('/api/auth/me')).body.memberships).toHaveLength(2);
    const res = await s.post('/api/auth/membership', { membershipId: second.id });
    expect(res.status).toBe(200);
    expect(res.body.activeMembership).toMatchObject({ role: 'social_worker', structure: { id: other.id, type: 'mission_locale' } });
    expect((await s.get('/api/auth/me')).body.activeMembership.role).toBe('social_worker');
    const foreign = await s.post('/api/auth/membership', { membershipId: '00000000-0000-4000-8000-000000000000' });
    expect(foreign.status).toBe(404);
  });

  it('throttles login attempts per client', async () => {
    const strict = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await strict.http().post('/api/auth/login').send({ email: 'x@test.passerelle.fr', password: 'y' })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await strict.close();
    }
  });

  it('behind one load balancer (TRUST_PROXY_HOPS=1), the client is the address the balancer appended, not what the client wrote', async () => {
    const balanced = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY_HOPS: '1' });
    try {
      const attempt = (forwardedFor: string) =>
        balanced.http().post('/api/auth/login').set('X-Forwarded-For', forwardedFor).send({ email: 'x@test.passerelle.fr', password: 'y' });
      // The same client (203.0.113.7, appended by the balancer) inventing a new address each time: one limit.
      const spoofed = [await attempt('198.51.100.1, 203.0.113.7'), await attempt('198.51.100.2, 203.0.113.7'), await attempt('198.51.100.3, 203.0.113.7')];
      expect(spoofed.map((r) => r.status)).toEqual([401, 401, 429]);
      // Another client behind the same balancer has its own.
      expect((await attempt('203.0.113.8')).status).toBe(401);
    } finally {
      await balanced.close();
    }
  });
});
