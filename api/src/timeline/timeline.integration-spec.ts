import { CONSENT_NOTICE_VERSION, type Contact, type TimelineEntry } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { followPerson, insertPerson } from '../contacts/testing/reception-fixtures';

type Agent = TestSession & { userId: string };

describe('timeline (integration)', () => {
  let t: TestApp;
  let agentA: Agent;
  let agentB: Agent;
  let structureA: string;
  let structureB: string;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test parcours)' })).id;
    structureB = (await t.createStructure({ name: 'CCAS B (test parcours)' })).id;
    agentA = await t.signIn('reception_agent', structureA);
    agentB = await t.signIn('social_worker', structureB);
  });
  afterAll(() => t.close());

  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const postContact = async (agent: Agent, body: object): Promise<Contact> => {
    const res = await agent.post('/api/contacts', { clientRequestId: randomUUID(), channel: 'in_person', answer: 'information', needs: [{ bouquet: 1 }], ...body });
    expect(res.status).toBe(201);
    return res.body as Contact;
  };
  const describeEntry = (e: TimelineEntry) =>
    e.kind === 'contact' ? `contact:${e.contact.id}` : `${e.kind}:${'request' in e ? e.request.id : 'referral' in e ? e.referral.id : '?'}`;

  it('shows contacts and requests newest first, filtered by what the caller may see', async () => {
    const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA });
    const first = await postContact(agentA, {
      personId,
      occurredAt: minutesAgo(300),
      needs: [{ bouquet: 5, subNeed: 'RSA' }, { bouquet: 14 }],
      summary: 'Premier passage',
      privateNote: 'Note privée de A',
      openRequestsForNeeds: [0, 1],
    });
    const [rsa, housing] = first.requestIds;
    expect((await agentA.post(`/api/requests/${housing}/status`, { status: 'no_follow_up', reason: 'Relogée par la famille' })).status).toBe(200);
    const second = await postContact(agentA, { personId, channel: 'phone', occurredAt: minutesAgo(120), requestIds: [rsa], privateNote: null });

    // Another structure that does not follow the person: 404, like a person that does not exist.
    const hidden = await agentB.get(`/api/persons/${personId}/timeline`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('NOT_FOUND');
    expect(JSON.stringify(hidden.body)).not.toContain('Premier passage');
    expect((await agentB.get(`/api/persons/${randomUUID()}/timeline`)).status).toBe(404);
    expect((await agentB.get(`/api/persons/not-a-uuid/timeline`)).status).toBe(400);

    const own = await agentA.get(`/api/persons/${personId}/timeline`);
    expect(own.status).toBe(200);
    const entries = own.body as TimelineEntry[];
    const order = entries.map(describeEntry);
    expect(order).toHaveLength(5);
    expect(order.slice(0, 2)).toEqual([`request_closed:${housing}`, `contact:${second.id}`]);
    // Same instant: the requests the first contact opened come above it.
    expect(order.slice(2, 4).sort()).toEqual([`request_opened:${rsa}`, `request_opened:${housing}`].sort());
    expect(order[4]).toBe(`contact:${first.id}`);
    for (let i = 1; i < entries.length; i++) expect(Date.parse(entries[i - 1].at)).toBeGreaterThanOrEqual(Date.parse(entries[i].at));
    const firstEntry = entries.find((e) => e.kind === 'contact' && e.contact.id === first.id);
    expect(firstEntry).toMatchObject({ at: first.occurredAt, contact: { privateNote: 'Note privée de A', summary: 'Premier passage', requestIds: first.requestIds } });
    const closed = entries.find((e) => e.kind === 'request_closed');
    expect(closed).toMatchObject({ request: { id: housing, status: 'no_follow_up', closedReason: 'Relogée par la famille' } });
    expect(closed?.at).toBe(closed?.kind === 'request_closed' ? closed.request.closedAt : undefined);
    expect(entries.find((e) => e.kind === 'request_opened' && e.request.id === rsa)).toMatchObject({ request: { contactIds: [first.id, second.id] } });

    // B takes the person on: B sees its own contacts only, until the person consents to share with their parcours.
    await followPerson(t.dataSource, t.tenant.id, personId, structureB);
    const ofB = await postContact(agentB, { personId, channel: 'home_visit', privateNote: 'Note privée de B', occurredAt: minutesAgo(10) });
    const beforeConsent = (await agentB.get(`/api/persons/${personId}/timeline`)).body as TimelineEntry[];
    expect(beforeConsent.map(describeEntry)).toEqual([`contact:${ofB.id}`]);
    const consent = await agentA.post(`/api/persons/${personId}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'coordinated_follow_up',
      recipientKind: 'parcours',
      categories: ['needs_requests'],
      collectionMethod: 'signed_paper',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
    expect(consent.status).toBe(201);
    // Needs and requests shared, summaries not: A's contacts and requests, without their summary (the key is
    // absent), never A's private notes.
    const seenByB = (await agentB.get(`/api/persons/${personId}/timeline`)).body as TimelineEntry[];
    expect(seenByB).toHaveLength(entries.length + 1);
    const contactsSeenByB = seenByB.flatMap((e) => (e.kind === 'contact' ? [e.contact] : []));
    for (const c of contactsSeenByB.filter((c) => c.structureId === structureA)) {
      expect(Object.prototype.hasOwnProperty.call(c, 'privateNote')).toBe(false);
      expect(Object.prototype.hasOwnProperty.call(c, 'summary')).toBe(false);
    }
    expect(JSON.stringify(seenByB)).not.toContain('Premier passage');
    expect(contactsSeenByB.find((c) => c.id === ofB.id)?.privateNote).toBe('Note privée de B');
    expect(JSON.stringify(seenByB)).not.toContain('Note privée de A');
    // …and A, symmetrically, not B's.
    const seenByA = (await agentA.get(`/api/persons/${personId}/timeline`)).body as TimelineEntry[];
    const bSeenByA = seenByA.find((e) => e.kind === 'contact' && e.contact.id === ofB.id);
    expect(bSeenByA && 'contact' in bSeenByA && 'privateNote' in bSeenByA.contact).toBe(false);
    expect(JSON.stringify(seenByA)).not.toContain('Note privée de B');
    // A's contact with a null note still has the key for A.
    const secondSeenByA = seenByA.find((e) => e.kind === 'contact' && e.contact.id === second.id);
    expect(secondSeenByA && 'contact' in secondSeenByA && 'privateNote' in secondSeenByA.contact).toBe(true);

    const audit = await t.dataSource.query(
      `SELECT user_id, outcome FROM audit_event WHERE action = 'person.timeline.read' AND entity_type = 'person' AND entity_id = $1 ORDER BY id`,
      [personId],
    );
    expect(audit).toEqual([
      { user_id: agentA.userId, outcome: 'success' },
      { user_id: agentB.userId, outcome: 'success' },
      { user_id: agentB.userId, outcome: 'success' },
      { user_id: agentA.userId, outcome: 'success' },
    ]);
  });

  it('hides a merged person’s file like any other invisible one', async () => {
    const kept = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA });
    const merged = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA });
    await t.dataSource.query(`UPDATE person SET merged_into_id = $1, merged_at = now() WHERE id = $2`, [kept, merged]);
    expect((await agentA.get(`/api/persons/${merged}/timeline`)).status).toBe(404);
    expect((await agentA.get(`/api/persons/${kept}/timeline`)).body).toEqual([]);
  });
});
