import type { Contact, CreateContactRequest, PersonRequest, TodaySummary } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { seedDemoContacts, DEMO_DESK_STRUCTURE } from './demo-contacts';
import { parisDay } from './paris-day';
import { followPerson, insertPerson, insertSite, receptionCounts } from './testing/reception-fixtures';

type Agent = TestSession & { userId: string; structureId: string | null };

describe('contacts (integration)', () => {
  let t: TestApp;
  let agentA: Agent;
  let agentB: Agent;
  let structureA: string;
  let structureB: string;
  let siteA: string;
  let siteB: string;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test contacts)' })).id;
    structureB = (await t.createStructure({ name: 'CCAS B (test contacts)' })).id;
    agentA = (await t.signIn('reception_agent', structureA)) as Agent;
    agentB = (await t.signIn('reception_agent', structureB)) as Agent;
    siteA = await insertSite(t.dataSource, t.tenant.id, structureA);
    siteB = await insertSite(t.dataSource, t.tenant.id, structureB);
  });
  afterAll(() => t.close());

  const personOfA = (names: { usageLastName?: string; firstNames?: string } = {}) =>
    insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA, ...names });
  const contactBody = (extra: Partial<CreateContactRequest> = {}): CreateContactRequest => ({
    clientRequestId: randomUUID(),
    channel: 'in_person',
    needs: [{ bouquet: 1, subNeed: null, detail: null }],
    answer: 'information',
    ...extra,
  });
  const auditOf = (entityId: string) => t.dataSource.query(`SELECT action, reason, entity_type FROM audit_event WHERE entity_id = $1 ORDER BY id`, [entityId]);

  it('records a contact with its needs and opens a request per chosen need, in one go', async () => {
    const personId = await personOfA();
    const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
    const res = await agentA.post('/api/contacts', {
      ...contactBody(),
      personId,
      siteId: siteA,
      channel: 'phone',
      occurredAt,
      durationMinutes: 20,
      needs: [
        { bouquet: 5, subNeed: ' Prime d’activité ', detail: 'Première demande' },
        { bouquet: 14, subNeed: 'Logement social', detail: null },
        { bouquet: 1 },
      ],
      answer: 'procedure_done',
      summary: '  Demande faite en ligne.  ',
      privateNote: 'Note interne A',
      openRequestsForNeeds: [0, 1],
    });
    expect(res.status).toBe(201);
    const contact = res.body as Contact;
    expect(contact).toEqual({
      id: expect.any(String),
      personId,
      structureId: structureA,
      structureName: 'France Services A (test contacts)',
      siteId: siteA,
      agent: { id: agentA.userId, name: 'Dominique Test' },
      channel: 'phone',
      occurredAt,
      durationMinutes: 20,
      needs: [
        { bouquet: 5, subNeed: 'Prime d’activité', detail: 'Première demande' },
        { bouquet: 14, subNeed: 'Logement social', detail: null },
        { bouquet: 1, subNeed: null, detail: null },
      ],
      answer: 'procedure_done',
      summary: 'Demande faite en ligne.',
      privateNote: 'Note interne A',
      requestIds: [expect.any(String), expect.any(String)],
    });

    const requests = (await agentA.get(`/api/persons/${personId}/requests`)).body as PersonRequest[];
    expect(requests.map((r) => [r.bouquet, r.subNeed, r.description, r.status, r.openedAt, r.contactIds]).sort()).toEqual(
      [
        [5, 'Prime d’activité', 'Première demande', 'open', occurredAt, [contact.id]],
        [14, 'Logement social', null, 'open', occurredAt, [contact.id]],
      ].sort(),
    );
    expect(requests.map((r) => r.id).sort()).toEqual([...contact.requestIds].sort());
    const [row] = await t.dataSource.query(`SELECT opened_by_user_id, structure_id FROM request WHERE id = $1`, [contact.requestIds[0]]);
    expect(row).toEqual({ opened_by_user_id: agentA.userId, structure_id: structureA });

    // The write is audited with ids and codes only.
    expect(await auditOf(contact.id)).toEqual([{ action: 'contact.create', reason: 'person', entity_type: 'contact' }]);
    for (const id of contact.requestIds) expect(await auditOf(id)).toEqual([{ action: 'request.open', reason: null, entity_type: 'request' }]);

    // A later contact touches an existing open request.
    const later = await agentA.post('/api/contacts', { ...contactBody(), personId, requestIds: [contact.requestIds[0]] });
    expect(later.status).toBe(201);
    expect(later.body.requestIds).toEqual([contact.requestIds[0]]);
    const again = (await agentA.get(`/api/persons/${personId}/requests`)).body as PersonRequest[];
    expect(again.find((r) => r.id === contact.requestIds[0])?.contactIds).toEqual([contact.id, later.body.id]);
  });

  it('records an anonymous information contact, then attaches it to the person when they come back', async () => {
    const created = await agentA.post('/api/contacts', contactBody({ channel: 'phone', needs: [{ bouquet: 4, subNeed: 'Carte grise', detail: null }] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ personId: null, requestIds: [], privateNote: null, summary: null, durationMinutes: null, siteId: null });
    expect(await auditOf(created.body.id)).toEqual([{ action: 'contact.create', reason: 'anonymous', entity_type: 'contact' }]);

    const personId = await personOfA();
    const attached = await agentA.patch(`/api/contacts/${created.body.id}/person`, { personId });
    expect(attached.status).toBe(200);
    expect(attached.body).toMatchObject({ id: created.body.id, personId });
    expect(await auditOf(created.body.id)).toEqual([
      { action: 'contact.create', reason: 'anonymous', entity_type: 'contact' },
      { action: 'contact.attach', reason: null, entity_type: 'contact' },
    ]);

    // Only once.
    const other = await personOfA();
    const twice = await agentA.patch(`/api/contacts/${created.body.id}/person`, { personId: other });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('CONFLICT');
    const [row] = await t.dataSource.query(`SELECT person_id FROM contact WHERE id = $1`, [created.body.id]);
    expect(row.person_id).toBe(personId);

    // An anonymous contact cannot open or touch requests.
    const opens = await agentA.post('/api/contacts', contactBody({ openRequestsForNeeds: [0] }));
    expect(opens.status).toBe(400);
    expect(opens.body.details).toEqual([{ field: 'openRequestsForNeeds', messages: [expect.stringContaining('identifiez la personne')] }]);
  });

  it('is idempotent on clientRequestId: a retry, or two concurrent posts, give one contact', async () => {
    const personId = await personOfA();
    const body = contactBody({ personId, openRequestsForNeeds: [0], summary: 'Retry' });
    const first = await agentA.post('/api/contacts', body);
    expect(first.status).toBe(201);
    const before = await receptionCounts(t.dataSource);
    const retry = await agentA.post('/api/contacts', body);
    expect([200, 201]).toContain(retry.status);
    expect(retry.body).toEqual(first.body);
    expect(await receptionCounts(t.dataSource)).toEqual(before);

    const concurrent = contactBody({ personId, openRequestsForNeeds: [0], needs: [{ bouquet: 11, subNeed: null, detail: null }] });
    const responses = await Promise.all([agentA.post('/api/contacts', concurrent), agentA.post('/api/contacts', concurrent), agentA.post('/api/contacts', concurrent)]);
    expect(responses.map((r) => r.status).every((s) => s === 200 || s === 201)).toBe(true);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses[1].body).toEqual(responses[0].body);
    const [{ n, requests }] = await t.dataSource.query(
      `SELECT count(*)::int AS n, (SELECT count(*)::int FROM request_contact rc WHERE rc.contact_id = min(c.id::text)::uuid) AS requests
         FROM contact c WHERE c.client_request_id = $1`,
      [concurrent.clientRequestId],
    );
    expect({ n, requests }).toEqual({ n: 1, requests: 1 });
    expect(await auditOf(responses[0].body.id)).toHaveLength(1);

    // The race itself, made deterministic: another transaction holds an uncommitted contact with the
    // same key; the post waits on the unique constraint, then returns that contact once it commits…
    const racing = contactBody({ personId });
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    const [held] = await holder.query(
      `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, answer)
       VALUES ($1, $2, $3, $4, $5, 'in_person', 'information') RETURNING id`,
      [t.tenant.id, racing.clientRequestId, personId, structureA, agentA.userId],
    );
    const waiting = Promise.resolve(agentA.post('/api/contacts', racing));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.commitTransaction();
    await holder.release();
    const afterWait = await waiting;
    expect([200, 201]).toContain(afterWait.status);
    expect(afterWait.body.id).toBe(held.id);
    const [{ held_needs }] = await t.dataSource.query(`SELECT count(*)::int AS held_needs FROM contact_need WHERE contact_id = $1`, [held.id]);
    expect(held_needs).toBe(0);
    // …or records its own if the other transaction rolls back.
    const rolledBack = contactBody({ personId });
    const loser = t.dataSource.createQueryRunner();
    await loser.connect();
    await loser.startTransaction();
    await loser.query(
      `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, answer)
       VALUES ($1, $2, $3, $4, $5, 'in_person', 'information')`,
      [t.tenant.id, rolledBack.clientRequestId, personId, structureA, agentA.userId],
    );
    const waitingToo = Promise.resolve(agentA.post('/api/contacts', rolledBack));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await loser.rollbackTransaction();
    await loser.release();
    const own = await waitingToo;
    expect(own.status).toBe(201);
    expect(own.body.needs).toEqual(rolledBack.needs);

    // The same key used by another structure is not a retry: it must not reveal the contact.
    const stolen = await agentB.post('/api/contacts', contactBody({ clientRequestId: body.clientRequestId }));
    expect(stolen.status).toBe(409);
    expect(JSON.stringify(stolen.body)).not.toContain('Retry');
  });

  it('refuses bad input with 400 and field details (never a 500), and writes nothing', async () => {
    const personId = await personOfA();
    const cases: { body: object; field: string }[] = [
      { body: contactBody({ needs: [{ bouquet: 19 as never, subNeed: null, detail: null }] }), field: 'needs.0.bouquet' },
      { body: contactBody({ needs: [] }), field: 'needs' },
      { body: contactBody({ needs: Array.from({ length: 19 }, (_, i) => ({ bouquet: 1, subNeed: `s${i}`, detail: null })) }), field: 'needs' },
      { body: contactBody({ needs: [{ bouquet: 5, subNeed: 'RSA', detail: null }, { bouquet: 5, subNeed: 'rsa ', detail: null }] }), field: 'needs' },
      { body: contactBody({ needs: [{ bouquet: 5, subNeed: 'x'.repeat(101), detail: null }] }), field: 'needs.0.subNeed' },
      { body: contactBody({ needs: [{ bouquet: 5, subNeed: null, detail: 'x'.repeat(501) }] }), field: 'needs.0.detail' },
      { body: contactBody({ needs: [{ bouquet: 5, subNeed: null, detail: null, secret: 1 } as never] }), field: 'needs.0.secret' },
      { body: contactBody({ needs: ['santé' as never] }), field: 'needs.0' },
      { body: contactBody({ summary: 'x'.repeat(2001) }), field: 'summary' },
      { body: contactBody({ privateNote: 'x'.repeat(4001) }), field: 'privateNote' },
      { body: contactBody({ occurredAt: new Date(Date.now() + 3_600_000).toISOString() }), field: 'occurredAt' },
      { body: contactBody({ occurredAt: new Date(Date.now() - 400 * 86_400_000).toISOString() }), field: 'occurredAt' },
      { body: contactBody({ occurredAt: '2026-02-30T10:00:00Z' }), field: 'occurredAt' },
      { body: contactBody({ occurredAt: '12/03/2026 10:00' }), field: 'occurredAt' },
      { body: contactBody({ durationMinutes: 601 }), field: 'durationMinutes' },
      { body: contactBody({ channel: 'pigeon' as never }), field: 'channel' },
      { body: contactBody({ answer: 'maybe' as never }), field: 'answer' },
      { body: { ...contactBody(), unknownField: true }, field: 'unknownField' },
      { body: contactBody({ personId: 'not-a-uuid' }), field: 'personId' },
      { body: contactBody({ clientRequestId: '1234' }), field: 'clientRequestId' },
      { body: contactBody({ requestIds: ['nope'] }), field: 'requestIds' },
      { body: contactBody({ personId, openRequestsForNeeds: [3] }), field: 'openRequestsForNeeds' },
      { body: contactBody({ personId, openRequestsForNeeds: [-1] }), field: 'openRequestsForNeeds' },
      { body: contactBody({ siteId: siteB }), field: 'siteId' },
      { body: contactBody({ personId, siteId: randomUUID() }), field: 'siteId' },
    ];
    const before = await receptionCounts(t.dataSource);
    for (const { body, field } of cases) {
      const res = await agentA.post('/api/contacts', body);
      expect({ field, status: res.status, code: res.body.code }).toEqual({ field, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(typeof res.body.message).toBe('string');
    }

    // 10 MB: refused by the body size limit (413) before anything else, never a 500.
    const huge = await agentA.post('/api/contacts', contactBody({ summary: 'x'.repeat(10 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    const malformed = await t.http().post('/api/contacts').set('Cookie', agentA.cookies).set('X-XSRF-TOKEN', agentA.csrfToken).set('Content-Type', 'application/json').send('{"needs": [');
    expect(malformed.status).toBe(400);
    expect((await agentA.patch('/api/contacts/not-a-uuid/person', { personId })).status).toBe(400);

    expect(await receptionCounts(t.dataSource)).toEqual(before);
  });

  it('rolls back everything when a link fails after the contact, needs and requests were written', async () => {
    const personId = await personOfA();
    const otherPerson = await personOfA();
    const ofOther = (await agentA.post('/api/contacts', { ...contactBody(), personId: otherPerson, openRequestsForNeeds: [0] })).body as Contact;
    const closed = (await agentA.post('/api/contacts', { ...contactBody(), personId, openRequestsForNeeds: [0] })).body as Contact;
    expect((await agentA.post(`/api/requests/${closed.requestIds[0]}/status`, { status: 'resolved' })).status).toBe(200);

    const before = await receptionCounts(t.dataSource);
    const wrongPerson = await agentA.post('/api/contacts', { ...contactBody(), personId, summary: 'Ne doit pas rester', openRequestsForNeeds: [0], requestIds: [ofOther.requestIds[0]] });
    expect(wrongPerson.status).toBe(400);
    expect(wrongPerson.body.details).toEqual([{ field: 'requestIds', messages: [expect.any(String)] }]);
    const unknown = await agentA.post('/api/contacts', { ...contactBody(), personId, openRequestsForNeeds: [0], requestIds: [randomUUID()] });
    expect(unknown.status).toBe(400);
    const closedLink = await agentA.post('/api/contacts', { ...contactBody(), personId, openRequestsForNeeds: [0], requestIds: [closed.requestIds[0]] });
    expect(closedLink.status).toBe(409);
    expect(closedLink.body.message).toContain('Résolue');
    expect(await receptionCounts(t.dataSource)).toEqual(before);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM contact WHERE summary = 'Ne doit pas rester'`);
    expect(n).toBe(0);
  });

  it('keeps another structure out: 404 on the person, no attach, no link, nothing written', async () => {
    const personId = await personOfA({ usageLastName: 'Confidentiel' });
    const own = (await agentA.post('/api/contacts', { ...contactBody(), personId, openRequestsForNeeds: [0], privateNote: 'Note privée A' })).body as Contact;
    const anonymousOfA = (await agentA.post('/api/contacts', contactBody())).body as Contact;
    const anonymousOfB = (await agentB.post('/api/contacts', contactBody())).body as Contact;
    const personOfB = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureB });
    const before = await receptionCounts(t.dataSource);

    const forPerson = await agentB.post('/api/contacts', { ...contactBody(), personId });
    expect(forPerson.status).toBe(404);
    expect(forPerson.body.code).toBe('NOT_FOUND');
    expect((await agentB.patch(`/api/contacts/${anonymousOfB.id}/person`, { personId })).status).toBe(404);
    expect((await agentB.patch(`/api/contacts/${anonymousOfA.id}/person`, { personId: personOfB })).status).toBe(404);

    // B's own person cannot be linked to A's person's request.
    const link = await agentB.post('/api/contacts', { ...contactBody(), personId: personOfB, requestIds: [own.requestIds[0]] });
    expect(link.status).toBe(400);
    expect(link.body.details).toEqual([{ field: 'requestIds', messages: [expect.any(String)] }]);
    expect(await receptionCounts(t.dataSource)).toEqual(before);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM person_follow WHERE person_id = $1 AND structure_id = $2`, [personId, structureB]);
    expect(n).toBe(0);

    // Once B follows the person too (took them on), B links contacts and sees A's contacts — never A's private note.
    await followPerson(t.dataSource, t.tenant.id, personId, structureB);
    const ofB = await agentB.post('/api/contacts', { ...contactBody(), personId, requestIds: [own.requestIds[0]], privateNote: 'Note privée B' });
    expect(ofB.status).toBe(201);
    expect(ofB.body.privateNote).toBe('Note privée B');
  });

  it('summarises today (Europe/Paris) for the caller’s structure only: by channel, by need, anonymous, names of visible persons', async () => {
    const structure = (await t.createStructure({ name: 'Mairie (test aujourd’hui)' })).id;
    const desk = (await t.signIn('reception_agent', structure)) as Agent;
    const colleague = (await t.signIn('social_worker', structure)) as Agent;
    const visible = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structure, usageLastName: 'Garnier', birthLastName: 'Roux', firstNames: 'Élodie' });
    const lost = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structure, usageLastName: 'Invisible' });
    const day = parisDay();
    const earlyToday = new Date(Math.max(day.start.getTime(), Date.now() - 60_000)).toISOString();

    const post = async (s: Agent, body: Partial<CreateContactRequest>) => {
      const res = await s.post('/api/contacts', contactBody({ occurredAt: earlyToday, ...body }));
      expect(res.status).toBe(201);
      return res.body as Contact;
    };
    await post(desk, { channel: 'phone', needs: [{ bouquet: 1, subNeed: null, detail: null }] });
    await post(colleague, { channel: 'in_person', needs: [{ bouquet: 4, subNeed: null, detail: null }] });
    const withPerson = await post(desk, {
      personId: visible,
      channel: 'in_person',
      needs: [
        { bouquet: 5, subNeed: 'RSA', detail: null },
        { bouquet: 5, subNeed: 'APL', detail: null },
        { bouquet: 14, subNeed: null, detail: null },
      ],
      privateNote: 'Note du jour',
    });
    const ofLost = await post(desk, { personId: lost, channel: 'in_person', needs: [{ bouquet: 5, subNeed: null, detail: null }] });
    await t.dataSource.query(`DELETE FROM person_follow WHERE person_id = $1`, [lost]);
    // Yesterday (Paris) and another structure's contacts today are not counted.
    await post(desk, { occurredAt: new Date(day.start.getTime() - 60_000).toISOString(), channel: 'email' });
    await agentB.post('/api/contacts', contactBody({ channel: 'video' }));

    const res = await desk.get('/api/contacts/today');
    expect(res.status).toBe(200);
    const summary = res.body as TodaySummary;
    expect(summary).toMatchObject({
      date: day.date,
      total: 4,
      anonymous: 2,
      byChannel: [
        { channel: 'in_person', count: 3 },
        { channel: 'phone', count: 1 },
      ],
      byNeed: [
        { bouquet: 5, count: 2 },
        { bouquet: 1, count: 1 },
        { bouquet: 4, count: 1 },
        { bouquet: 14, count: 1 },
      ],
    });
    expect(summary.contacts).toHaveLength(4);
    expect(summary.contacts.every((c) => c.structureId === structure)).toBe(true);
    expect(summary.contacts.find((c) => c.id === withPerson.id)).toMatchObject({ personName: 'Élodie GARNIER (ROUX)', privateNote: 'Note du jour' });
    expect(summary.contacts.find((c) => c.id === ofLost.id)).toMatchObject({ personId: lost, personName: null });
    expect(summary.contacts.filter((c) => c.personId === null).map((c) => c.personName)).toEqual([null, null]);
    expect(await auditOf(structure)).toEqual([{ action: 'contact.today.read', reason: null, entity_type: 'structure' }]);

    // Roles without person files are refused.
    const coordinator = await t.signIn('coordinator', structure);
    expect((await coordinator.get('/api/contacts/today')).status).toBe(403);
  });

  it('never writes summaries, notes or names into the audit trail', async () => {
    const personId = await personOfA({ usageLastName: 'Audittrace', firstNames: 'Nomtrace' });
    const created = await agentA.post('/api/contacts', {
      ...contactBody(),
      personId,
      needs: [{ bouquet: 8, subNeed: 'Soustrace', detail: 'Détailtrace' }],
      summary: 'Résumétrace',
      privateNote: 'Notetrace',
      openRequestsForNeeds: [0],
    });
    expect(created.status).toBe(201);
    await agentA.post(`/api/requests/${created.body.requestIds[0]}/status`, { status: 'no_follow_up', reason: 'Motiftrace' });
    await agentA.get(`/api/persons/${personId}/timeline`);
    await agentA.get('/api/contacts/today');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event e WHERE e::text ~* '(trace)'`);
    expect(n).toBe(0);
    const [{ rows }] = await t.dataSource.query(`SELECT count(*)::int AS rows FROM audit_event WHERE user_id = $1`, [agentA.userId]);
    expect(rows).toBeGreaterThan(0);
  });

  it('seeds the demo desk: 1–3 contacts per followed person, some open requests, one resolved, three anonymous today', async () => {
    const structure = (await t.createStructure({ name: DEMO_DESK_STRUCTURE })).id;
    await insertSite(t.dataSource, t.tenant.id, structure, 'fixed');
    await insertSite(t.dataSource, t.tenant.id, structure, 'itinerant');
    const desk = (await t.signIn('reception_agent', structure)) as Agent;
    const persons: string[] = [];
    for (let i = 0; i < 6; i++) persons.push(await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structure }));
    const notFollowed = await personOfA();

    await t.dataSource.transaction((manager) => seedDemoContacts(manager, t.tenant.id));
    await t.dataSource.transaction((manager) => seedDemoContacts(manager, t.tenant.id)); // once only

    const perPerson: { person_id: string; n: number }[] = await t.dataSource.query(
      `SELECT person_id, count(*)::int AS n FROM contact WHERE structure_id = $1 AND person_id IS NOT NULL GROUP BY person_id`,
      [structure],
    );
    expect(perPerson.map((r) => r.person_id).sort()).toEqual([...persons].sort());
    expect(perPerson.every((r) => r.n >= 1 && r.n <= 3)).toBe(true);
    expect(perPerson.some((r) => r.person_id === notFollowed)).toBe(false);
    const statuses: { status: string; n: number }[] = await t.dataSource.query(
      `SELECT status, count(*)::int AS n FROM request WHERE structure_id = $1 GROUP BY status`,
      [structure],
    );
    const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
    expect(byStatus['open']).toBeGreaterThanOrEqual(2);
    expect(byStatus['resolved']).toBeGreaterThanOrEqual(1);
    const [{ channels }] = await t.dataSource.query(`SELECT count(DISTINCT channel)::int AS channels FROM contact WHERE structure_id = $1`, [structure]);
    expect(channels).toBeGreaterThanOrEqual(4);

    const today = (await desk.get('/api/contacts/today')).body as TodaySummary;
    expect(today.anonymous).toBe(3);
    const timeline = await desk.get(`/api/persons/${persons[0]}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['contact', 'request_opened', 'request_closed']));
  });
});
