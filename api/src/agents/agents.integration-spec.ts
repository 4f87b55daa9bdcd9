import type { Agent, InviteAgentResponse } from '@passerelle/contracts';
import { createTestApp, type TestApp } from '../../test/test-app';
import { hashToken } from '../auth/tokens';
import { MailService } from '../mail/mail.service';
import { TerritoryService } from '../territory/territory.service';

const NEW_PASSWORD = 'Nouvel-Agent-2026!';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('agent administration (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const auditActions = (entityId: string) =>
    t.dataSource.query(`SELECT action, reason FROM audit_event WHERE entity_id = $1 ORDER BY id`, [entityId]);
  const tokenOf = (activationUrl: string) => new URL(activationUrl).searchParams.get('jeton') ?? '';
  const uniqueEmail = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}@test.passerelle.fr`;

  it('scopes agent administration to the admin’s own structure', async () => {
    const a = await t.createStructure({ name: 'Structure A (test agents)' });
    const b = await t.createStructure({ name: 'Structure B (test agents)' });
    const adminA = await t.signIn('structure_admin', a.id);
    const agentA = await t.createAgent({ role: 'reception_agent', structureId: a.id });
    const agentB = await t.createAgent({ role: 'social_worker', structureId: b.id });

    const own = await adminA.get('/api/agents');
    expect(own.status).toBe(200);
    expect((own.body as Agent[]).map((x) => x.id).sort()).toEqual([adminA.membershipId, agentA.membership.id].sort());
    expect((await adminA.get(`/api/agents?structureId=${a.id}`)).status).toBe(200);

    const list = await adminA.get(`/api/agents?structureId=${b.id}`);
    expect(list.status).toBe(403);
    expect(list.body.code).toBe('FORBIDDEN');
    const invite = await adminA.post('/api/agents', { email: uniqueEmail('intrus'), firstName: 'In', lastName: 'Trus', role: 'reception_agent', structureId: b.id });
    expect(invite.status).toBe(403);
    expect((await adminA.post(`/api/agents/${agentB.membership.id}/deactivate`)).status).toBe(404);
    expect((await adminA.post(`/api/agents/${agentB.membership.id}/reactivate`)).status).toBe(404);
    expect((await adminA.post(`/api/agents/${agentB.membership.id}/activation-link`)).status).toBe(404);
    const [row] = await t.dataSource.query(`SELECT deactivated_at FROM membership WHERE id = $1`, [agentB.membership.id]);
    expect(row.deactivated_at).toBeNull();

    // Other roles do not administer agents at all.
    const reception = await t.login(agentA.email);
    expect((await reception.get('/api/agents')).status).toBe(403);

    // The platform admin sees any structure of the tenant, or all of them.
    const platform = await t.signIn('platform_admin');
    const ofB = await platform.get(`/api/agents?structureId=${b.id}`);
    expect((ofB.body as Agent[]).map((x) => x.id)).toEqual([agentB.membership.id]);
    const all = (await platform.get('/api/agents')).body as Agent[];
    expect(all.map((x) => x.id)).toEqual(expect.arrayContaining([agentA.membership.id, agentB.membership.id, platform.membershipId]));
    expect((await platform.get(`/api/agents?structureId=${UNKNOWN_ID}`)).status).toBe(404);
  });

  it('lists agents sorted by last name with their status, never a password or token hash', async () => {
    const structure = await t.createStructure({ name: 'Structure tri (test agents)' });
    const admin = await t.signIn('structure_admin', structure.id);
    await t.dataSource.query(`UPDATE app_user SET last_name = 'Martin' WHERE id = $1`, [admin.userId]);
    const invited = await t.createAgent({ role: 'reception_agent', structureId: structure.id, password: null });
    await t.dataSource.query(`UPDATE app_user SET last_name = 'Zola' WHERE id = $1`, [invited.user.id]);
    const gone = await t.createAgent({ role: 'social_worker', structureId: structure.id });
    await t.dataSource.query(`UPDATE app_user SET last_name = 'Émile' WHERE id = $1`, [gone.user.id]);
    await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE id = $1`, [gone.membership.id]);

    const res = await admin.get('/api/agents');
    expect((res.body as Agent[]).map((x) => [x.lastName, x.status])).toEqual([
      ['Émile', 'deactivated'],
      ['Martin', 'active'],
      ['Zola', 'invited'],
    ]);
    expect(res.body[1]).toEqual({
      id: admin.membershipId,
      userId: admin.userId,
      email: expect.any(String),
      firstName: 'Dominique',
      lastName: 'Martin',
      role: 'structure_admin',
      structureId: structure.id,
      structureName: structure.name,
      status: 'active',
      mayOverrideConsent: false,
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/argon2|hash/i);
  });

  it('invites a new agent: activation link → weak password refused → activation → login; the link is single-use', async () => {
    const structure = await t.createStructure({ name: 'Structure invitation (test agents)' });
    const admin = await t.signIn('structure_admin', structure.id);
    const email = uniqueEmail('nouvel.agent');
    const res = await admin.post('/api/agents', { email: `  ${email.toUpperCase()} `, firstName: ' Camille ', lastName: 'Arnaud', role: 'social_worker' });
    expect(res.status).toBe(201);
    const body = res.body as InviteAgentResponse;
    expect(body.agent).toMatchObject({ email, firstName: 'Camille', lastName: 'Arnaud', role: 'social_worker', structureId: structure.id, status: 'invited' });
    expect(body.activationUrl).toMatch(new RegExp(`^${t.config.publicUrl}/activation\\?jeton=[A-Za-z0-9_-]{43}$`));
    const hours = (new Date(body.activationExpiresAt ?? 0).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(t.config.ACTIVATION_LINK_HOURS - 0.1);
    expect(hours).toBeLessThanOrEqual(t.config.ACTIVATION_LINK_HOURS);

    // Only the HMAC of the token is stored.
    const token = tokenOf(body.activationUrl ?? '');
    const [user] = await t.dataSource.query(`SELECT activation_token_hash, password_hash FROM app_user WHERE id = $1`, [body.agent.userId]);
    expect(user).toEqual({ activation_token_hash: hashToken(t.config.SESSION_SECRET, token), password_hash: null });
    expect(await auditActions(body.agent.id)).toEqual([{ action: 'agent.invite', reason: 'new_user' }]);
    const leaked = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event e WHERE e::text ILIKE $1`, [`%${email.split('@')[0]}%`]);
    expect(leaked[0].n).toBe(0);

    // No password yet: no login.
    expect((await t.http().post('/api/auth/login').send({ email, password: NEW_PASSWORD })).status).toBe(401);

    const weak = await t.http().post('/api/auth/activate').send({ token, password: 'court' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('WEAK_PASSWORD');

    expect((await t.http().post('/api/auth/activate').send({ token, password: NEW_PASSWORD })).status).toBe(204);
    const session = await t.login(email, NEW_PASSWORD);
    const me = await session.get('/api/auth/me');
    expect(me.body.activeMembership).toMatchObject({ role: 'social_worker', structure: { id: structure.id } });

    const reused = await t.http().post('/api/auth/activate').send({ token, password: 'Un-Autre-Mot-2026!' });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('ACTIVATION_INVALID');

    const listed = (await admin.get('/api/agents')).body as Agent[];
    expect(listed.find((x) => x.id === body.agent.id)?.status).toBe('active');
    const again = await admin.post(`/api/agents/${body.agent.id}/activation-link`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('déjà activé');
  });

  it('refuses an expired link; a fresh link replaces the previous one', async () => {
    const structure = await t.createStructure({ name: 'Structure lien (test agents)' });
    const admin = await t.signIn('structure_admin', structure.id);
    const email = uniqueEmail('expire');
    const invited = (await admin.post('/api/agents', { email, firstName: 'Alex', lastName: 'Expiré', role: 'reception_agent' })).body as InviteAgentResponse;
    const firstToken = tokenOf(invited.activationUrl ?? '');

    await t.dataSource.query(`UPDATE app_user SET activation_expires_at = now() - interval '1 minute' WHERE id = $1`, [invited.agent.userId]);
    const expired = await t.http().post('/api/auth/activate').send({ token: firstToken, password: NEW_PASSWORD });
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('ACTIVATION_INVALID');

    const fresh = await admin.post(`/api/agents/${invited.agent.id}/activation-link`);
    expect(fresh.status).toBe(200);
    const secondToken = tokenOf((fresh.body as InviteAgentResponse).activationUrl ?? '');
    expect(secondToken).not.toBe(firstToken);
    await t.dataSource.query(`UPDATE app_user SET activation_expires_at = now() + interval '1 hour' WHERE id = $1`, [invited.agent.userId]);
    expect((await t.http().post('/api/auth/activate').send({ token: firstToken, password: NEW_PASSWORD })).body.code).toBe('ACTIVATION_INVALID');
    expect((await t.http().post('/api/auth/activate').send({ token: secondToken, password: NEW_PASSWORD })).status).toBe(204);
    expect(await auditActions(invited.agent.id)).toEqual([
      { action: 'agent.invite', reason: 'new_user' },
      { action: 'agent.activation_link', reason: null },
    ]);
  });

  it('ends the agent’s sessions at once on deactivation; reactivation lets them sign in again', async () => {
    const structure = await t.createStructure({ name: 'Structure désactivation (test agents)' });
    const admin = await t.signIn('structure_admin', structure.id);
    const agent = await t.createAgent({ role: 'reception_agent', structureId: structure.id });
    const session = await t.login(agent.email);
    expect((await session.get('/api/auth/me')).status).toBe(200);

    const res = await admin.post(`/api/agents/${agent.membership.id}/deactivate`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: agent.membership.id, status: 'deactivated' });
    // Revoked by the deactivation itself, before the agent's next request.
    const sessions = await t.dataSource.query(`SELECT revoked_at, revoked_reason FROM user_session WHERE membership_id = $1`, [agent.membership.id]);
    expect(sessions).toEqual([{ revoked_at: expect.any(Date), revoked_reason: 'deactivated' }]);
    expect(await auditActions(agent.membership.id)).toEqual([{ action: 'agent.deactivate', reason: 'sessions_revoked' }]);

    const next = await session.get('/api/auth/me');
    expect([401, 403]).toContain(next.status);
    const login = await t.http().post('/api/auth/login').send({ email: agent.email, password: agent.password });
    expect(login.status).toBe(403);
    expect(login.body.code).toBe('ACCOUNT_INACTIVE');

    const reactivated = await admin.post(`/api/agents/${agent.membership.id}/reactivate`);
    expect(reactivated.status).toBe(200);
    expect(reactivated.body.status).toBe('active');
    expect((await (await t.login(agent.email)).get('/api/auth/me')).status).toBe(200);
    expect((await auditActions(agent.membership.id)).map((r: { action: string }) => r.action)).toEqual(['agent.deactivate', 'agent.reactivate']);
  });

  it('refuses that an admin deactivates their own membership (409)', async () => {
    const admin = await t.signIn('structure_admin');
    const res = await admin.post(`/api/agents/${admin.membershipId}/deactivate`);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('propre affectation');
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('adds a membership to an existing account of the tenant; a second one in the same structure → 409', async () => {
    const a = await t.createStructure({ name: 'Structure A (test compte existant)' });
    const b = await t.createStructure({ name: 'Structure B (test compte existant)' });
    const existing = await t.createAgent({ role: 'social_worker', structureId: b.id });
    const adminA = await t.signIn('structure_admin', a.id);

    const res = await adminA.post('/api/agents', { email: existing.email.toUpperCase(), firstName: 'Autre', lastName: 'Nom', role: 'coordinator' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      agent: { userId: existing.user.id, email: existing.email, firstName: 'Dominique', role: 'coordinator', structureId: a.id, status: 'active' },
      activationUrl: null,
      activationExpiresAt: null,
    });
    expect(await auditActions(res.body.agent.id)).toEqual([{ action: 'agent.invite', reason: 'existing_user' }]);
    const memberships = await t.dataSource.query(`SELECT structure_id FROM membership WHERE user_id = $1`, [existing.user.id]);
    expect(memberships.map((m: { structure_id: string }) => m.structure_id).sort()).toEqual([a.id, b.id].sort());
    // The new membership is usable at once.
    const session = await t.login(existing.email);
    expect((await session.post('/api/auth/membership', { membershipId: res.body.agent.id })).status).toBe(200);

    const dup = await adminA.post('/api/agents', { email: existing.email, firstName: 'Autre', lastName: 'Nom', role: 'reception_agent' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain('déjà agent de cette structure');
  });

  it('refuses an e-mail that belongs to another département’s account (409)', async () => {
    const isere = await t.app.get(TerritoryService).ensureTenant('38');
    const foreign = await t.createAgent({ role: 'platform_admin', tenantId: isere.id });
    const admin = await t.signIn('structure_admin');
    const res = await admin.post('/api/agents', { email: foreign.email, firstName: 'Autre', lastName: 'Département', role: 'reception_agent' });
    expect(res.status).toBe(409);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM membership WHERE user_id = $1`, [foreign.user.id]);
    expect(n).toBe(1);

    // Nor can the Hautes-Alpes platform admin reach the Isère membership.
    const platform = await t.signIn('platform_admin');
    expect((await platform.post(`/api/agents/${foreign.membership.id}/deactivate`)).status).toBe(404);
    expect((await platform.get('/api/agents')).body.map((x: Agent) => x.id)).not.toContain(foreign.membership.id);
  });

  it('stops role escalation: a structure admin cannot grant platform_admin; the platform admin must name a structure', async () => {
    const admin = await t.signIn('structure_admin');
    const escalate = await admin.post('/api/agents', { email: uniqueEmail('escalade'), firstName: 'Es', lastName: 'Calade', role: 'platform_admin' });
    expect(escalate.status).toBe(403);
    expect(escalate.body.code).toBe('FORBIDDEN');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE email LIKE 'escalade-%'`);
    expect(n).toBe(0);
    const bogus = await admin.post('/api/agents', { email: uniqueEmail('bogus'), firstName: 'B', lastName: 'O', role: 'superuser', extra: 1 });
    expect(bogus.status).toBe(400);
    expect(bogus.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['role', 'extra']));

    const platform = await t.signIn('platform_admin');
    const noStructure = await platform.post('/api/agents', { email: uniqueEmail('sans-structure'), firstName: 'S', lastName: 'S', role: 'social_worker' });
    expect(noStructure.status).toBe(400);
    expect(noStructure.body.details).toEqual([{ field: 'structureId', messages: [expect.any(String)] }]);
    const newPlatformAdmin = await platform.post('/api/agents', { email: uniqueEmail('plateforme'), firstName: 'P', lastName: 'A', role: 'platform_admin' });
    expect(newPlatformAdmin.status).toBe(201);
    expect(newPlatformAdmin.body.agent).toMatchObject({ role: 'platform_admin', structureId: null, status: 'invited' });
  });

  it('e-mails the activation link when mail is configured, in French', async () => {
    const mail = t.app.get(MailService);
    const enabled = jest.spyOn(mail, 'enabled', 'get').mockReturnValue(true);
    const send = jest.spyOn(mail, 'send').mockResolvedValue(true);
    try {
      const structure = await t.createStructure({ name: 'Structure courriel (test agents)' });
      const admin = await t.signIn('structure_admin', structure.id);
      const email = uniqueEmail('courriel');
      const res = await admin.post('/api/agents', { email, firstName: 'Lou', lastName: 'Courriel', role: 'reception_agent' });
      expect(res.status).toBe(201);
      expect(send).toHaveBeenCalledTimes(1);
      const message = send.mock.calls[0][0];
      expect(message).toMatchObject({ to: email, subject: 'Activez votre compte Passerelle' });
      expect(message.text).toContain(res.body.activationUrl);
      expect(message.text).toContain('Bonjour Lou');
      expect(message.text).toContain(structure.name);
    } finally {
      enabled.mockRestore();
      send.mockRestore();
    }
  });
});
