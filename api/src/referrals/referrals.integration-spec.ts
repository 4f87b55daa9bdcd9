import {
  CONSENT_NOTICE_VERSION,
  DATA_CATEGORIES,
  REFERRAL_STATUSES,
  REFERRAL_STATUS_LABELS,
  REFERRAL_TRANSITIONS,
  type Consent,
  type Contact,
  type DataCategory,
  type Person,
  type Referral,
  type ReferralStatus,
  type SubjectAccessExport,
  type TimelineEntry,
} from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { followPerson, insertPerson } from '../contacts/testing/reception-fixtures';
import { PersonAnonymizer } from '../retention/person-anonymizer';
import { StructureEntity } from '../structures/structure.entity';
import { TerritoryService } from '../territory/territory.service';
import * as referralStatus from './referral-status';

type Agent = TestSession & { userId: string; structureId: string | null };

/** A surname no other test person resembles. */
const uniqueName = () =>
  Array.from({ length: 9 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)))
    .join('')
    .replace(/^./, (c) => c.toUpperCase());
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** A person of the sender's structure, with a distinctive value in every category, to look for in what the receiver reads. */
interface TestPerson {
  id: string;
  lastName: string;
  contactId: string;
  requestId: string;
  secret: Record<'identity_contact' | 'family_housing' | 'needs_requests' | 'interview_summaries', string>;
  privateNote: string;
}

/** The body of each target status that makes it legal, and which side makes it. */
const LEGAL_PATH: Record<ReferralStatus, ReferralStatus[]> = {
  sent: [],
  received: ['received'],
  accepted: ['accepted'],
  refused: ['refused'],
  redirected: ['redirected'],
  in_charge: ['accepted', 'in_charge'],
  closed: ['accepted', 'closed'],
  cancelled: ['cancelled'],
};

describe('referrals (integration)', () => {
  let t: TestApp;
  let structureA: string;
  let structureB: string;
  let structureC: string;
  let agentA: Agent;
  let adminA: Agent;
  let workerB: Agent;
  let agentB: Agent;
  let workerC: Agent;
  let coordinatorB: Agent;
  /** The legal body of each step (needs structureC). */
  let bodyOf: Record<ReferralStatus, object>;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test orientations)', type: 'france_services' })).id;
    structureB = (await t.createStructure({ name: 'CCAS B (test orientations)', type: 'ccas' })).id;
    structureC = (await t.createStructure({ name: 'Association C (test orientations)', type: 'association' })).id;
    agentA = await t.signIn('reception_agent', structureA);
    adminA = await t.signIn('structure_admin', structureA);
    workerB = await t.signIn('social_worker', structureB);
    agentB = await t.signIn('reception_agent', structureB);
    workerC = await t.signIn('social_worker', structureC);
    coordinatorB = await t.signIn('coordinator', structureB);
    bodyOf = {
      sent: {},
      received: {},
      accepted: {},
      refused: { refusalReason: 'no_capacity', brokenLink: 3 },
      redirected: { redirectToStructureId: structureC },
      in_charge: { inChargeKind: 'appointment' },
      closed: { outcome: 'done' },
      cancelled: {},
    };
  });
  afterAll(() => t.close());

  async function personOf(agent: Agent): Promise<TestPerson> {
    const lastName = uniqueName();
    const suffix = randomUUID().slice(0, 8);
    const secret = {
      identity_contact: `06${digits(8)}`,
      family_housing: `Domiciliation-${suffix}`,
      needs_requests: `Besoin-${suffix}`,
      interview_summaries: `Synthese-${suffix}`,
    };
    const created = await agent.post('/api/persons', {
      usageLastName: lastName,
      firstNames: 'Camille',
      birthDate: '1980-05-04',
      phone: secret.identity_contact,
      noStableHome: true,
      domiciliation: secret.family_housing,
      confirmNotDuplicate: true,
    });
    expect(created.status).toBe(201);
    const id = (created.body as Person).id;
    const privateNote = `Note-${suffix}`;
    const contact = await agent.post('/api/contacts', {
      clientRequestId: randomUUID(),
      personId: id,
      channel: 'in_person',
      needs: [{ bouquet: 14, subNeed: null, detail: secret.needs_requests }],
      answer: 'referral_needed',
      summary: secret.interview_summaries,
      privateNote,
      openRequestsForNeeds: [0],
    });
    expect(contact.status).toBe(201);
    const body = contact.body as Contact;
    return { id, lastName, contactId: body.id, requestId: body.requestIds[0], secret, privateNote };
  }

  async function consent(personId: string, recipientStructureId: string, categories: DataCategory[], by: Agent = agentA): Promise<Consent> {
    const res = await by.post(`/api/persons/${personId}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'orientation',
      recipientKind: 'structure',
      recipientStructureId,
      categories,
      collectionMethod: 'oral',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
    expect(res.status).toBe(201);
    return res.body as Consent;
  }

  const send = (personId: string, body: object = {}, by: Agent = agentA) =>
    by.post('/api/referrals', { clientRequestId: randomUUID(), personId, toStructureId: structureB, bouquet: 14, message: 'Message-Orientation', categories: [], ...body });

  async function sent(personId: string, body: object = {}, by: Agent = agentA): Promise<Referral> {
    const res = await send(personId, body, by);
    expect(res.status).toBe(201);
    return res.body as Referral;
  }

  const move = (agent: Agent, id: string, body: object) => agent.post(`/api/referrals/${id}/status`, body);

  /** A new orientation (A → B, no category) brought to `status` through the API. */
  async function referralAt(status: ReferralStatus, personId?: string): Promise<Referral> {
    const person = personId ?? (await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA }));
    let referral = await sent(person);
    for (const step of LEGAL_PATH[status]) {
      const res = await move(step === 'cancelled' ? agentA : workerB, referral.id, { status: step, ...bodyOf[step] });
      expect({ step, status: res.status }).toEqual({ step, status: 200 });
      referral = res.body as Referral;
    }
    expect(referral.status).toBe(status);
    return referral;
  }

  const row = async (id: string) => (await t.dataSource.query(`SELECT * FROM referral WHERE id = $1`, [id]))[0];
  const events = async (id: string) =>
    (await t.dataSource.query(`SELECT status, user_id, structure_id FROM referral_event WHERE referral_id = $1 ORDER BY at, id`, [id])) as {
      status: string;
      user_id: string;
      structure_id: string;
    }[];
  const audit = async (entityId: string) =>
    (await t.dataSource.query(`SELECT action, reason, user_id, structure_id FROM audit_event WHERE entity_id = $1 ORDER BY id`, [entityId])) as {
      action: string;
      reason: string | null;
      user_id: string;
      structure_id: string;
    }[];
  const count = async (table: string) => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  async function insertService(structureId: string, active = true): Promise<string> {
    const [r]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO service (tenant_id, structure_id, name, bouquets, active) VALUES ($1, $2, $3, '{14}', $4) RETURNING id`,
      [t.tenant.id, structureId, `Service ${randomUUID().slice(0, 6)}`, active],
    );
    return r.id;
  }

  describe('sending', () => {
    it('sends an orientation in one transaction (row, “sent” event, audit) and moves the sender’s open request to in progress', async () => {
      const person = await personOf(agentA);
      await consent(person.id, structureB, ['identity_contact']);
      const serviceId = await insertService(structureB);
      const res = await send(person.id, {
        toServiceId: serviceId,
        categories: ['identity_contact'],
        requestId: person.requestId,
        fromContactId: person.contactId,
        message: '  Souhaite un logement d’urgence.  ',
      });
      expect(res.status).toBe(201);
      const referral = res.body as Referral;
      expect(referral).toMatchObject({
        personId: person.id,
        personName: `Camille ${person.lastName.toUpperCase()}`,
        from: { id: structureA, name: 'France Services A (test orientations)', type: 'france_services', userName: 'Dominique Test' },
        to: { id: structureB, name: 'CCAS B (test orientations)', type: 'ccas' },
        service: { id: serviceId },
        fromContactId: person.contactId,
        requestId: person.requestId,
        parentReferralId: null,
        bouquet: 14,
        message: 'Souhaite un logement d’urgence.',
        categories: ['identity_contact'],
        status: 'sent',
        receivedAt: null,
        answeredAt: null,
        redirectedTo: null,
        redirectReferralId: null,
        allowedTransitions: ['cancelled'],
        events: [{ status: 'sent', userName: 'Dominique Test', structureName: 'France Services A (test orientations)' }],
      });
      expect(referral.events[0].at).toBe(referral.sentAt);
      expect(await events(referral.id)).toEqual([{ status: 'sent', user_id: agentA.userId, structure_id: structureA }]);
      expect(await audit(referral.id)).toEqual([{ action: 'referral.create', reason: null, user_id: agentA.userId, structure_id: structureA }]);
      const [request] = await t.dataSource.query(`SELECT status, status_changed_by_user_id FROM request WHERE id = $1`, [person.requestId]);
      expect(request).toEqual({ status: 'in_progress', status_changed_by_user_id: agentA.userId });
      expect((await audit(person.requestId)).map((a) => `${a.action}:${a.reason}`)).toEqual(['request.open:null', 'request.status:open->in_progress']);
      // No personal data in the audit rows: codes only.
      const texts = JSON.stringify(await audit(referral.id));
      for (const value of [person.lastName, 'logement', person.secret.identity_contact]) expect(texts).not.toContain(value);
    });

    it('is idempotent on clientRequestId: a retry returns the same orientation and writes nothing', async () => {
      const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA });
      const clientRequestId = randomUUID();
      const first = await send(personId, { clientRequestId });
      expect(first.status).toBe(201);
      const before = [await count('referral'), await count('referral_event'), await count('audit_event')];
      const again = await send(personId, { clientRequestId, message: 'Autre message' });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect([await count('referral'), await count('referral_event'), await count('audit_event')]).toEqual(before);
      // Another structure reusing the id is told to generate a new one.
      await followPerson(t.dataSource, t.tenant.id, personId, structureC);
      const foreign = await send(personId, { clientRequestId, toStructureId: structureB }, workerC);
      expect(foreign.status).toBe(409);
      expect(foreign.body.code).toBe('CONFLICT');
    });

    it('records one orientation for concurrent retries of the same create', async () => {
      const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA });
      const body = { clientRequestId: randomUUID() };
      const results = await Promise.all(Array.from({ length: 6 }, () => send(personId, body)));
      expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
      const ids = new Set(results.map((r) => (r.body as Referral).id));
      expect(ids.size).toBe(1);
      const [id] = [...ids];
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM referral WHERE person_id = $1`, [personId]))[0].n).toBe(1);
      expect(await events(id)).toHaveLength(1);
      expect((await audit(id)).filter((a) => a.action === 'referral.create')).toHaveLength(1);
    });

    it('checks the person, the target structure, its service, the contact and the request, writing nothing when refused', async () => {
      const person = await personOf(agentA);
      const other = await personOf(agentA);
      const inactive = await t.createStructure({ name: 'Structure fermée (test orientations)' });
      await t.dataSource.query(`UPDATE structure SET active = false WHERE id = $1`, [inactive.id]);
      const isere = await t.app.get(TerritoryService).ensureTenant('38');
      const grenoble = await t.dataSource.manager.save(
        t.dataSource.manager.create(StructureEntity, { tenantId: isere.id, name: 'CCAS de Grenoble (test orientations)', type: 'ccas', communeInsee: '38185' }),
      );
      const before = [await count('referral'), await count('referral_event')];
      const fields = (res: { body: { details?: { field: string }[] } }) => (res.body.details ?? []).map((d) => d.field);

      const own = await send(person.id, { toStructureId: structureA });
      expect([own.status, fields(own)]).toEqual([400, ['toStructureId']]);
      expect((await send(person.id, { toStructureId: randomUUID() })).status).toBe(404);
      expect((await send(person.id, { toStructureId: grenoble.id })).status).toBe(404);
      const closed = await send(person.id, { toStructureId: inactive.id });
      expect([closed.status, fields(closed)]).toEqual([400, ['toStructureId']]);
      expect(closed.body.message).toContain('plus active');

      const serviceOfC = await insertService(structureC);
      const inactiveService = await insertService(structureB, false);
      for (const toServiceId of [serviceOfC, inactiveService, randomUUID()]) {
        const res = await send(person.id, { toServiceId });
        expect([res.status, fields(res)]).toEqual([400, ['toServiceId']]);
      }
      const contact = await send(person.id, { fromContactId: other.contactId });
      expect([contact.status, fields(contact)]).toEqual([400, ['fromContactId']]);
      const request = await send(person.id, { requestId: other.requestId });
      expect([request.status, fields(request)]).toEqual([400, ['requestId']]);
      expect((await agentA.post(`/api/requests/${person.requestId}/status`, { status: 'resolved' })).status).toBe(200);
      const closedRequest = await send(person.id, { requestId: person.requestId });
      expect(closedRequest.status).toBe(409);
      expect(closedRequest.body.message).toContain('« Résolue »');
      const summaries = await send(person.id, { categories: ['interview_summaries'] });
      expect([summaries.status, fields(summaries)]).toEqual([400, ['categories']]);
      for (const bad of [{ bouquet: 19 }, { categories: ['identity_contact', 'identity_contact'] }, { categories: ['secrets'] }, { extra: 1 }, { message: 'x'.repeat(2001) }]) {
        expect((await send(person.id, bad)).status).toBe(400);
      }
      expect((await agentA.post('/api/referrals', { clientRequestId: randomUUID(), personId: person.id, toStructureId: structureB, bouquet: 14 })).status).toBe(400);

      // A structure that does not follow the person: 404 (as if it did not exist); one that only has a consent: 403.
      expect((await send(person.id, { toStructureId: structureA }, workerC)).status).toBe(404);
      await consent(person.id, structureB, ['identity_contact']);
      const consentOnly = await send(person.id, { toStructureId: structureC }, workerB);
      expect(consentOnly.status).toBe(403);
      expect((await send(person.id, {}, coordinatorB)).status).toBe(403);
      expect([await count('referral'), await count('referral_event')]).toEqual(before);
    });
  });

  describe('consent: a partner only receives consented categories', () => {
    it('refuses unconsented categories with 409 CONSENT_REQUIRED listing them, counting only consents naming the target', async () => {
      const person = await personOf(agentA);
      const ask = ['identity_contact', 'family_housing', 'needs_requests'] as DataCategory[];
      const none = await send(person.id, { categories: ask });
      expect(none.status).toBe(409);
      expect(none.body).toMatchObject({ code: 'CONSENT_REQUIRED', consentRequired: { structureId: structureB, missingCategories: ask } });
      expect(none.body.message).toContain('« Identité et coordonnées »');
      expect(none.body.message).toContain('CCAS B (test orientations)');

      // Neither "my parcours" nor a consent naming another structure covers B.
      const parcours = await agentA.post(`/api/persons/${person.id}/consents`, {
        clientRequestId: randomUUID(),
        purpose: 'coordinated_follow_up',
        recipientKind: 'parcours',
        categories: [...DATA_CATEGORIES],
        collectionMethod: 'oral',
        noticeVersion: CONSENT_NOTICE_VERSION,
      });
      expect(parcours.status).toBe(201);
      await consent(person.id, structureC, ['identity_contact', 'family_housing', 'needs_requests']);
      expect((await send(person.id, { categories: ask })).body.consentRequired).toEqual({ structureId: structureB, missingCategories: ask });

      // A lapsed consent naming B covers nothing.
      await t.dataSource.query(
        `INSERT INTO consent (tenant_id, client_request_id, person_id, purpose, recipient_kind, recipient_structure_id, categories, collection_method,
                              notice_version, collected_by_user_id, collected_by_structure_id, collected_at, valid_until)
         VALUES ($1, $2, $3, 'orientation', 'structure', $4, '{identity_contact}', 'oral', $5, $6, $7, now() - interval '2 days', now() - interval '1 day')`,
        [t.tenant.id, randomUUID(), person.id, structureB, CONSENT_NOTICE_VERSION, agentA.userId, structureA],
      );
      expect((await send(person.id, { categories: ['identity_contact'] })).body.consentRequired).toEqual({ structureId: structureB, missingCategories: ['identity_contact'] });

      await consent(person.id, structureB, ['identity_contact', 'family_housing']);
      const partly = await send(person.id, { categories: ask });
      expect(partly.status).toBe(409);
      expect(partly.body.consentRequired).toEqual({ structureId: structureB, missingCategories: ['needs_requests'] });
      expect((await send(person.id, { categories: ['family_housing', 'identity_contact'] })).status).toBe(201);
      // Without any category: only the need and the message.
      expect((await send(person.id, { categories: [] })).status).toBe(201);
    });

    it('shows the receiver the person’s name only while identity is consented: a withdrawal takes effect on the next request', async () => {
      const person = await personOf(agentA);
      const given = await consent(person.id, structureB, ['identity_contact']);
      const referral = await sent(person.id, { categories: ['identity_contact'] });
      const name = `Camille ${person.lastName.toUpperCase()}`;

      const opened = await workerB.get(`/api/referrals/${referral.id}`);
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ personName: name, message: 'Message-Orientation', status: 'received' });
      const inbox = (await workerB.get('/api/referrals/inbox?limit=200')).body as Referral[];
      expect(inbox.find((r) => r.id === referral.id)?.personName).toBe(name);

      expect((await agentA.post(`/api/persons/${person.id}/consents/${given.id}/withdraw`)).status).toBe(200);
      const after = await workerB.get(`/api/referrals/${referral.id}`);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ personName: null, message: 'Message-Orientation', categories: ['identity_contact'] });
      expect(JSON.stringify(after.body)).not.toContain(person.lastName);
      const inboxAfter = (await workerB.get('/api/referrals/inbox?limit=200')).body as Referral[];
      expect(inboxAfter.find((r) => r.id === referral.id)?.personName).toBeNull();
      expect((await workerB.get(`/api/persons/${person.id}`)).status).toBe(404);
      expect((await workerB.get(`/api/persons/${person.id}/referrals`)).status).toBe(404);
      // The sender, who follows the person, always sees the name.
      expect((await agentA.get(`/api/referrals/${referral.id}`)).body.personName).toBe(name);
    });

    const subsets: DataCategory[][] = [
      [],
      ['identity_contact'],
      ['family_housing'],
      ['needs_requests'],
      ['needs_requests', 'interview_summaries'],
      [...DATA_CATEGORIES],
    ];
    it.each(subsets.map((categories) => ({ categories })))('the receiver sees nothing of the categories not consented (consent for $categories)', async ({ categories }) => {
      const person = await personOf(agentA);
      if (categories.length > 0) await consent(person.id, structureB, categories);
      const referral = await sent(person.id, { categories, requestId: person.requestId, fromContactId: person.contactId });

      const reads = await Promise.all([
        workerB.get(`/api/referrals/${referral.id}`),
        workerB.get('/api/referrals/inbox?limit=200'),
        workerB.get(`/api/persons/${person.id}`),
        workerB.get(`/api/persons/${person.id}/timeline`),
        workerB.get(`/api/persons/${person.id}/referrals`),
        workerB.get(`/api/persons/${person.id}/requests`),
      ]);
      const text = JSON.stringify(reads.map((r) => r.body));
      for (const [category, value] of Object.entries(person.secret)) {
        expect({ category, leaked: text.includes(value) }).toEqual({ category, leaked: categories.includes(category as DataCategory) });
      }
      expect({ name: text.includes(person.lastName) }).toEqual({ name: categories.includes('identity_contact') });
      expect(text).not.toContain(person.privateNote);

      const seen = reads[0].body as Referral;
      expect(seen.personName).toBe(categories.includes('identity_contact') ? `Camille ${person.lastName.toUpperCase()}` : null);
      // The contact and request it comes from are A's records: their ids only with "besoins et demandes".
      const needs = categories.includes('needs_requests');
      expect([seen.fromContactId, seen.requestId]).toEqual(needs ? [person.contactId, person.requestId] : [null, null]);
      expect(seen.message).toBe('Message-Orientation');
      if (categories.length === 0) {
        expect(reads.slice(2).map((r) => r.status)).toEqual([404, 404, 404, 404]);
      } else {
        const referrals = reads[4].body as Referral[];
        expect(referrals.map((r) => r.id)).toEqual([referral.id]);
        const timeline = reads[3].body as TimelineEntry[];
        expect(timeline.filter((e) => e.kind === 'referral_sent').map((e) => e.kind === 'referral_sent' && e.referral.id)).toEqual([referral.id]);
      }
    });
  });

  describe('the state machine', () => {
    const actorFor = (to: ReferralStatus) => (to === 'cancelled' ? agentA : workerB);

    it.each(REFERRAL_STATUSES.map((from) => [from]))('from %s: every legal transition is made, every other one answered 409 and refused by the trigger', async (from) => {
      const legal = REFERRAL_TRANSITIONS[from];
      // Legal: each on a fresh orientation.
      for (const to of legal) {
        const referral = await referralAt(from);
        const res = await move(actorFor(to), referral.id, { status: to, ...bodyOf[to] });
        expect({ from, to, status: res.status }).toEqual({ from, to, status: 200 });
        expect((res.body as Referral).status).toBe(to);
        expect((await events(referral.id)).map((e) => e.status)).toEqual(['sent', ...LEGAL_PATH[from], to]);
      }
      // Illegal (the same status included): on one orientation, which none of them changes.
      const referral = await referralAt(from);
      const illegal = REFERRAL_STATUSES.filter((to) => !legal.includes(to));
      for (const to of illegal) {
        const res = await move(actorFor(to), referral.id, { status: to, ...bodyOf[to] });
        expect({ from, to, status: res.status, code: res.body.code }).toEqual({ from, to, status: 409, code: 'INVALID_TRANSITION' });
        expect(res.body.message).toContain(`« ${REFERRAL_STATUS_LABELS[from]} »`);
        expect(res.body.message).toContain(`« ${REFERRAL_STATUS_LABELS[to]} »`);
        const direct = t.dataSource.query(`UPDATE referral SET status = $2 WHERE id = $1`, [referral.id, to]);
        await expect(direct).rejects.toBeInstanceOf(QueryFailedError);
        await expect(direct).rejects.toMatchObject({ driverError: { code: '23514', constraint: 'referral_status_transition' } });
      }
      expect((await row(referral.id)).status).toBe(from);
      expect((await events(referral.id)).map((e) => e.status)).toEqual(['sent', ...LEGAL_PATH[from]]);
    });

    it('stamps each step’s date and fields, and lists what each side may do next', async () => {
      const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA });
      const referral = await sent(personId);
      // The sender opening it changes nothing; the receiver opening it acknowledges it.
      expect((await agentA.get(`/api/referrals/${referral.id}`)).body).toMatchObject({ status: 'sent', allowedTransitions: ['cancelled'] });
      const received = (await workerB.get(`/api/referrals/${referral.id}`)).body as Referral;
      expect(received).toMatchObject({ status: 'received', allowedTransitions: ['accepted', 'refused', 'redirected'] });
      expect(received.receivedAt).toBe(received.events[1].at);
      expect(received.events.map((e) => [e.status, e.structureName])).toEqual([
        ['sent', 'France Services A (test orientations)'],
        ['received', 'CCAS B (test orientations)'],
      ]);
      // Opening it again is not another step.
      await agentB.get(`/api/referrals/${referral.id}`);
      expect((await events(referral.id)).map((e) => e.status)).toEqual(['sent', 'received']);

      const accepted = (await move(agentB, referral.id, { status: 'accepted', comment: 'Rendez-vous à caler' })).body as Referral;
      expect(accepted).toMatchObject({ status: 'accepted', receivedAt: received.receivedAt, statusComment: 'Rendez-vous à caler', allowedTransitions: ['in_charge', 'closed'] });
      expect(accepted.answeredAt).not.toBeNull();
      expect((await agentA.get(`/api/referrals/${referral.id}`)).body.allowedTransitions).toEqual(['cancelled']);

      const appointment = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const inCharge = (await move(workerB, referral.id, { status: 'in_charge', inChargeKind: 'appointment', inChargeAt: appointment })).body as Referral;
      expect(inCharge).toMatchObject({ status: 'in_charge', inChargeKind: 'appointment', inChargeAt: appointment, allowedTransitions: ['closed'] });
      expect((await agentA.get(`/api/referrals/${referral.id}`)).body.allowedTransitions).toEqual([]);

      const closed = (await move(workerB, referral.id, { status: 'closed', outcome: 'unreachable', brokenLink: 2 })).body as Referral;
      expect(closed).toMatchObject({ status: 'closed', outcome: 'unreachable', brokenLink: 2, inChargeAt: appointment, statusComment: 'Rendez-vous à caler', allowedTransitions: [] });
      expect(closed.closedAt).not.toBeNull();
      expect(closed.events.map((e) => [e.status, e.userName])).toEqual([
        ['sent', 'Dominique Test'],
        ['received', 'Dominique Test'],
        ['accepted', 'Dominique Test'],
        ['in_charge', 'Dominique Test'],
        ['closed', 'Dominique Test'],
      ]);
      expect((await events(referral.id)).map((e) => [e.status, e.user_id, e.structure_id])).toEqual([
        ['sent', agentA.userId, structureA],
        ['received', workerB.userId, structureB],
        ['accepted', agentB.userId, structureB],
        ['in_charge', workerB.userId, structureB],
        ['closed', workerB.userId, structureB],
      ]);
      expect((await audit(referral.id)).map((a) => `${a.action}:${a.reason}`)).toEqual([
        'referral.create:null',
        'referral.read:sender',
        'referral.status:sent->received',
        'referral.read:receiver',
        'referral.read:receiver',
        'referral.status:received->accepted',
        'referral.read:sender',
        'referral.status:accepted->in_charge',
        'referral.read:sender',
        'referral.status:in_charge->closed',
      ]);

      // Refused straight from "sent": received_at and answered_at at once; cancelled keeps answered_at null.
      const refused = await sent(personId);
      const res = await move(workerB, refused.id, { status: 'refused', refusalReason: 'other', brokenLink: 8, comment: 'Hors compétence' });
      expect(res.body).toMatchObject({ status: 'refused', refusalReason: 'other', brokenLink: 8, statusComment: 'Hors compétence' });
      expect(res.body.receivedAt).toBe(res.body.answeredAt);
      const cancelled = await sent(personId);
      const c = (await move(agentA, cancelled.id, { status: 'cancelled' })).body as Referral;
      expect(c).toMatchObject({ status: 'cancelled', answeredAt: null, allowedTransitions: [] });
      expect(c.cancelledAt).not.toBeNull();
    });

    it('serialises concurrent changes: one waiting on the row lock is then refused with 409', async () => {
      const referral = await referralAt('received');
      const other = t.dataSource.createQueryRunner();
      await other.connect();
      await other.startTransaction();
      await other.query(`UPDATE referral SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [referral.id]);
      const waiting = Promise.resolve(move(workerB, referral.id, { status: 'accepted' }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.commitTransaction();
      await other.release();
      const res = await waiting;
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      expect((await row(referral.id)).status).toBe('cancelled');
    });

    it('answers 409 INVALID_TRANSITION, not 400 or 500, when the trigger is the one refusing', async () => {
      const referral = await referralAt('closed');
      const check = jest.spyOn(referralStatus, 'canTransition').mockReturnValue(true);
      try {
        const res = await move(workerB, referral.id, { status: 'accepted' });
        expect(check).toHaveBeenCalled();
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringContaining('vient de changer') });
      } finally {
        check.mockRestore();
      }
      expect((await row(referral.id)).status).toBe('closed');
      expect((await audit(referral.id)).filter((a) => a.reason === 'closed->accepted')).toEqual([]);
      expect((await events(referral.id)).map((e) => e.status)).toEqual(['sent', 'accepted', 'closed']);
    });
  });

  describe('who may do what', () => {
    it('lets the receiver answer and the sender cancel; a third structure gets 404, a coordinator 403', async () => {
      const referral = await referralAt('received');
      const byA = await move(agentA, referral.id, { status: 'accepted' });
      expect(byA.status).toBe(403);
      expect(byA.body.message).toContain('destinataire');
      const byB = await move(workerB, referral.id, { status: 'cancelled' });
      expect(byB.status).toBe(403);
      expect(byB.body.message).toContain('annuler');
      for (const res of [await workerC.get(`/api/referrals/${referral.id}`), await move(workerC, referral.id, { status: 'accepted' })]) {
        expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
      }
      for (const res of [
        await coordinatorB.get(`/api/referrals/${referral.id}`),
        await coordinatorB.get('/api/referrals/inbox'),
        await coordinatorB.get('/api/referrals/sent'),
        await move(coordinatorB, referral.id, { status: 'accepted' }),
      ]) {
        expect(res.status).toBe(403);
      }
      const platform = await t.signIn('platform_admin');
      expect((await platform.get(`/api/referrals/${referral.id}`)).status).toBe(403);
      expect((await workerB.get(`/api/referrals/${randomUUID()}`)).status).toBe(404);
      expect((await workerB.get(`/api/referrals/not-a-uuid`)).status).toBe(400);
      expect((await move(workerB, randomUUID(), { status: 'accepted' })).status).toBe(404);
      expect((await move(workerB, referral.id, { status: 'bogus' })).status).toBe(400);
      expect((await row(referral.id)).status).toBe('received');
    });

    it('asks for the fields each step needs (400, French messages), changing nothing', async () => {
      const referral = await referralAt('received');
      const fieldsOf = async (body: object) => {
        const res = await move(workerB, referral.id, body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        return (res.body.details as { field: string }[]).map((d) => d.field);
      };
      expect(await fieldsOf({ status: 'refused' })).toEqual(['refusalReason', 'brokenLink']);
      expect(await fieldsOf({ status: 'refused', refusalReason: 'other', brokenLink: 4 })).toEqual(['comment']);
      expect(await fieldsOf({ status: 'refused', refusalReason: 'not_eligible', brokenLink: 12 })).toEqual(['brokenLink']);
      expect(await fieldsOf({ status: 'accepted', outcome: 'done' })).toEqual(['outcome']);
      expect(await fieldsOf({ status: 'redirected' })).toEqual(['redirectToStructureId']);
      expect(await fieldsOf({ status: 'redirected', redirectToStructureId: structureA })).toEqual(['redirectToStructureId']);
      expect(await fieldsOf({ status: 'redirected', redirectToStructureId: structureB })).toEqual(['redirectToStructureId']);
      const inactive = await t.createStructure({ name: 'Structure en sommeil (test orientations)' });
      await t.dataSource.query(`UPDATE structure SET active = false WHERE id = $1`, [inactive.id]);
      expect(await fieldsOf({ status: 'redirected', redirectToStructureId: inactive.id })).toEqual(['redirectToStructureId']);
      expect(await fieldsOf({ status: 'redirected', redirectToStructureId: structureC, redirectToServiceId: await insertService(structureB) })).toEqual([
        'redirectToServiceId',
      ]);
      expect((await move(workerB, referral.id, { status: 'redirected', redirectToStructureId: randomUUID() })).status).toBe(404);
      const tooLong = await move(workerB, referral.id, { status: 'accepted', comment: 'x'.repeat(1001) });
      expect(tooLong.status).toBe(400);

      const accepted = await move(workerB, referral.id, { status: 'accepted' });
      expect(accepted.status).toBe(200);
      expect(await fieldsOf({ status: 'in_charge' })).toEqual(['inChargeKind']);
      const sentAt = new Date(referral.sentAt);
      for (const inChargeAt of [new Date(Date.now() + 400 * 86_400_000).toISOString(), new Date(sentAt.getTime() - 60_000).toISOString(), '2026-03-05']) {
        expect(await fieldsOf({ status: 'in_charge', inChargeKind: 'first_contact', inChargeAt })).toEqual(['inChargeAt']);
      }
      expect(await fieldsOf({ status: 'closed' })).toEqual(['outcome']);
      expect(await fieldsOf({ status: 'closed', outcome: 'done', brokenLink: 1 })).toEqual(['brokenLink']);
      expect(await fieldsOf({ status: 'closed', outcome: 'not_done' })).toEqual(['brokenLink']);
      expect(await fieldsOf({ status: 'closed', outcome: 'abandoned' })).toEqual(['brokenLink']);
      expect(await fieldsOf({ status: 'closed', outcome: 'other' })).toEqual(['comment']);
      const res = await move(workerB, referral.id, { status: 'refused', refusalReason: 'other', brokenLink: 4 });
      expect(res.status).toBe(409); // accepted → refused is not a step, whatever the fields
      expect((await row(referral.id)).status).toBe('accepted');
      const closed = await move(workerB, referral.id, { status: 'closed', outcome: 'abandoned', brokenLink: 6, comment: 'Pas de bus le mardi' });
      expect(closed.body).toMatchObject({ status: 'closed', outcome: 'abandoned', brokenLink: 6, statusComment: 'Pas de bus le mardi' });
    });
  });

  describe('réorientation and taking in charge', () => {
    it('redirects by sending a new orientation from the receiver, with only the categories consented for the new structure', async () => {
      const person = await personOf(agentA);
      await consent(person.id, structureB, ['identity_contact', 'family_housing']);
      await consent(person.id, structureC, ['identity_contact', 'needs_requests']);
      const referral = await sent(person.id, { categories: ['identity_contact', 'family_housing'], requestId: person.requestId });
      const serviceOfC = await insertService(structureC);

      const res = await move(workerB, referral.id, { status: 'redirected', redirectToStructureId: structureC, redirectToServiceId: serviceOfC });
      expect(res.status).toBe(200);
      const parent = res.body as Referral;
      expect(parent).toMatchObject({ status: 'redirected', redirectedTo: { id: structureC, name: 'Association C (test orientations)', type: 'association' } });
      expect(parent.answeredAt).not.toBeNull();
      expect(parent.receivedAt).not.toBeNull();
      const childId = parent.redirectReferralId as string;
      expect(childId).toEqual(expect.any(String));

      const child = await row(childId);
      expect(child).toMatchObject({
        person_id: person.id,
        from_structure_id: structureB,
        from_user_id: workerB.userId,
        to_structure_id: structureC,
        to_service_id: serviceOfC,
        parent_referral_id: referral.id,
        request_id: person.requestId,
        bouquet: 14,
        message: 'Message-Orientation',
        categories: ['identity_contact'],
        status: 'sent',
      });
      expect(await events(childId)).toEqual([{ status: 'sent', user_id: workerB.userId, structure_id: structureB }]);
      expect((await audit(referral.id)).map((a) => `${a.action}:${a.reason}`)).toContain('referral.status:sent->redirected');
      expect((await audit(childId)).map((a) => `${a.action}:${a.reason}`)).toEqual(['referral.create:redirect']);

      // C receives it, and sees the name (identity consented for C); B sees it in its sent list; A only the parent.
      const inboxOfC = (await workerC.get('/api/referrals/inbox')).body as Referral[];
      expect(inboxOfC.map((r) => r.id)).toContain(childId);
      const atC = (await workerC.get(`/api/referrals/${childId}`)).body as Referral;
      expect(atC).toMatchObject({ status: 'received', parentReferralId: referral.id, from: { id: structureB }, personName: `Camille ${person.lastName.toUpperCase()}` });
      expect(atC.service).toMatchObject({ id: serviceOfC });
      expect(((await workerB.get('/api/referrals/sent')).body as Referral[]).map((r) => r.id)).toContain(childId);
      expect((await agentA.get(`/api/referrals/${childId}`)).status).toBe(404);
      expect((await agentA.get(`/api/referrals/${referral.id}`)).body).toMatchObject({ status: 'redirected', redirectReferralId: childId, allowedTransitions: [] });

      // Nothing is passed on that C's consent does not cover: none of B's categories when C has none of them.
      const other = await personOf(agentA);
      await consent(other.id, structureB, ['family_housing']);
      const second = await sent(other.id, { categories: ['family_housing'] });
      const redirected = (await move(workerB, second.id, { status: 'redirected', redirectToStructureId: structureC })).body as Referral;
      expect((await row(redirected.redirectReferralId as string)).categories).toEqual([]);
    });

    it('makes the receiver follow the person once taken in charge — its own records, not what others wrote (decision 0011)', async () => {
      const person = await personOf(agentA);
      const referral = await sent(person.id);
      expect((await workerB.get(`/api/persons/${person.id}`)).status).toBe(404);
      expect((await move(workerB, referral.id, { status: 'accepted' })).status).toBe(200);
      expect((await workerB.get(`/api/persons/${person.id}`)).status).toBe(404);
      const res = await move(workerB, referral.id, { status: 'in_charge', inChargeKind: 'first_contact' });
      expect(res.status).toBe(200);
      expect(Date.now() - Date.parse(res.body.inChargeAt)).toBeLessThan(60_000);
      const [follow] = await t.dataSource.query(`SELECT reason FROM person_follow WHERE person_id = $1 AND structure_id = $2`, [person.id, structureB]);
      expect(follow).toEqual({ reason: 'referral' });

      const file = await workerB.get(`/api/persons/${person.id}`);
      expect(file.status).toBe(200);
      expect(file.body).toMatchObject({ access: 'followed_by_my_structure', phone: person.secret.identity_contact });
      const timeline = await workerB.get(`/api/persons/${person.id}/timeline`);
      const text = JSON.stringify(timeline.body);
      expect(text).not.toContain(person.secret.needs_requests);
      expect(text).not.toContain(person.secret.interview_summaries);
      expect((timeline.body as TimelineEntry[]).map((e) => e.kind)).toEqual(['referral_status', 'referral_status', 'referral_sent']);
      expect((await workerB.get(`/api/referrals/${referral.id}`)).body.personName).toBe(`Camille ${person.lastName.toUpperCase()}`);
    });
  });

  describe('lists, the person’s orientations and the timeline', () => {
    it('lists the inbox and the sent orientations newest first, with filters and pages; audited', async () => {
      const sender = await t.createStructure({ name: 'Mairie S (test listes)', type: 'mairie' });
      const receiver = await t.createStructure({ name: 'Mission locale R (test listes)', type: 'mission_locale' });
      const agentS = await t.signIn('reception_agent', sender.id);
      const workerR = await t.signIn('social_worker', receiver.id);
      const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: sender.id });
      const make = async (bouquet: number, daysAgo: number) => {
        const r = await sent(personId, { toStructureId: receiver.id, bouquet }, agentS);
        await t.dataSource.query(`UPDATE referral SET sent_at = now() - make_interval(days => $2) WHERE id = $1`, [r.id, daysAgo]);
        return r.id;
      };
      const old11 = await make(11, 20);
      const old14 = await make(14, 10);
      const recent14 = await make(14, 1);
      const today5 = await make(5, 0);
      expect((await move(workerR, recent14, { status: 'accepted' })).status).toBe(200);

      const ids = async (agent: Agent, url: string) => {
        const res = await agent.get(url);
        expect(res.status).toBe(200);
        return (res.body as Referral[]).map((r) => r.id);
      };
      expect(await ids(workerR, '/api/referrals/inbox')).toEqual([today5, recent14, old14, old11]);
      expect(await ids(agentS, '/api/referrals/sent')).toEqual([today5, recent14, old14, old11]);
      expect(await ids(workerR, '/api/referrals/inbox?status=accepted')).toEqual([recent14]);
      expect(await ids(workerR, '/api/referrals/inbox?status=sent')).toEqual([today5, old14, old11]);
      expect(await ids(workerR, '/api/referrals/inbox?bouquet=14')).toEqual([recent14, old14]);
      expect(await ids(workerR, '/api/referrals/inbox?olderThanDays=7')).toEqual([old14, old11]);
      expect(await ids(workerR, '/api/referrals/inbox?olderThanDays=7&bouquet=11&status=sent')).toEqual([old11]);
      expect(await ids(workerR, '/api/referrals/inbox?limit=2')).toEqual([today5, recent14]);
      expect(await ids(workerR, '/api/referrals/inbox?limit=2&offset=2')).toEqual([old14, old11]);
      expect(await ids(agentS, '/api/referrals/inbox')).toEqual([]);
      expect(await ids(workerR, '/api/referrals/sent')).toEqual([]);
      for (const query of ['status=bogus', 'bouquet=19', 'olderThanDays=-1', 'limit=0', 'limit=201', 'offset=-1', 'unknown=1']) {
        expect({ query, status: (await workerR.get(`/api/referrals/inbox?${query}`)).status }).toEqual({ query, status: 400 });
      }
      // The inbox lists without opening: still "sent".
      expect((await row(today5)).status).toBe('sent');
      const reads = await t.dataSource.query(`SELECT action, entity_type, user_id FROM audit_event WHERE entity_id = $1 AND action LIKE 'referral.%.read' ORDER BY id LIMIT 1`, [
        receiver.id,
      ]);
      expect(reads).toEqual([{ action: 'referral.inbox.read', entity_type: 'structure', user_id: workerR.userId }]);
      const sentReads = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action = 'referral.sent.read'`, [sender.id]);
      expect(sentReads[0].n).toBe(1);
    });

    it('shows a person’s orientations to the sender and the receiver, and to others only when needs are shared with them', async () => {
      const person = await personOf(agentA);
      await consent(person.id, structureB, ['identity_contact']);
      const toB = await sent(person.id, { categories: ['identity_contact'] });
      const toC = await sent(person.id, { toStructureId: structureC });
      const idsOf = async (agent: Agent) => {
        const res = await agent.get(`/api/persons/${person.id}/referrals`);
        expect(res.status).toBe(200);
        return (res.body as Referral[]).map((r) => r.id);
      };
      expect(await idsOf(agentA)).toEqual([toC.id, toB.id]);
      // B sees the file by consent: only the orientation it receives, not A's one to C.
      expect(await idsOf(workerB)).toEqual([toB.id]);
      // C does not see the person at all (no consent, not followed yet).
      expect((await workerC.get(`/api/persons/${person.id}/referrals`)).status).toBe(404);

      // A structure D that follows the person sees A's orientations only under a consent sharing needs with it.
      const structureD = (await t.createStructure({ name: 'CAF D (test orientations)', type: 'caf' })).id;
      const agentD = await t.signIn('reception_agent', structureD);
      await followPerson(t.dataSource, t.tenant.id, person.id, structureD);
      expect(await idsOf(agentD)).toEqual([]);
      const timelineBefore = (await agentD.get(`/api/persons/${person.id}/timeline`)).body as TimelineEntry[];
      expect(timelineBefore.filter((e) => e.kind.startsWith('referral'))).toEqual([]);
      await consent(person.id, structureD, ['needs_requests']);
      expect(await idsOf(agentD)).toEqual([toC.id, toB.id]);
      const seenByD = ((await agentD.get(`/api/persons/${person.id}/referrals`)).body as Referral[]).find((r) => r.id === toB.id);
      expect(seenByD).toMatchObject({ allowedTransitions: [], personName: `Camille ${person.lastName.toUpperCase()}` });
      const timelineD = (await agentD.get(`/api/persons/${person.id}/timeline`)).body as TimelineEntry[];
      expect(timelineD.filter((e) => e.kind === 'referral_sent').map((e) => (e.kind === 'referral_sent' ? e.referral.to.name : ''))).toEqual([
        'Association C (test orientations)',
        'CCAS B (test orientations)',
      ]);
      // D's GET of the orientation itself stays 404: only the two parties open it.
      expect((await agentD.get(`/api/referrals/${toB.id}`)).status).toBe(404);

      // A's timeline: "sent" and the receiver's steps, newest first.
      await workerB.get(`/api/referrals/${toB.id}`);
      const timelineA = (await agentA.get(`/api/persons/${person.id}/timeline`)).body as TimelineEntry[];
      const referralEntries = timelineA.flatMap((e) =>
        e.kind === 'referral_sent' ? [`sent:${e.referral.id}`] : e.kind === 'referral_status' ? [`${e.event.status}:${e.referral.id}:${e.event.structureName}`] : [],
      );
      expect(referralEntries).toEqual([`received:${toB.id}:CCAS B (test orientations)`, `sent:${toC.id}`, `sent:${toB.id}`]);

      const audited = await t.dataSource.query(`SELECT user_id, reason FROM audit_event WHERE entity_id = $1 AND action = 'person.referrals.read' ORDER BY id`, [person.id]);
      expect(audited.slice(0, 2)).toEqual([
        { user_id: agentA.userId, reason: 'followed_by_my_structure' },
        { user_id: workerB.userId, reason: 'consent' },
      ]);
    });

    it('adds the orientations to the subject-access export', async () => {
      const person = await personOf(agentA);
      const referral = await sent(person.id, { message: 'Message pour l’export' });
      const res = await adminA.get(`/api/persons/${person.id}/export.json`);
      expect(res.status).toBe(200);
      const data = res.body as SubjectAccessExport;
      expect(data.referrals.map((r) => [r.id, r.message, r.to.name])).toEqual([[referral.id, 'Message pour l’export', 'CCAS B (test orientations)']]);
    });
  });

  describe('retention and erasure', () => {
    it('clears the message and the status comment with the file, keeping codes, statuses and dates; then refuses new free text', async () => {
      const person = await personOf(agentA);
      const refused = await sent(person.id, { message: 'Texte-Libre-Message' });
      await move(workerB, refused.id, { status: 'refused', refusalReason: 'other', brokenLink: 9, comment: 'Texte-Libre-Commentaire' });
      const open = await sent(person.id, { message: 'Texte-Libre-Ouvert' });

      const anonymizer = t.app.get(PersonAnonymizer);
      expect(anonymizer.eraserNames).toContain('referrals');
      const done = await t.dataSource.transaction((manager) =>
        anonymizer.anonymize(manager, { tenantId: t.tenant.id, personIds: [person.id], now: new Date(), cause: 'erasure' }),
      );
      expect(done.erased['referrals']).toBe(2);
      expect(await row(refused.id)).toMatchObject({
        message: null,
        status_comment: null,
        status: 'refused',
        refusal_reason: 'other',
        broken_link: 9,
        bouquet: 14,
        to_structure_id: structureB,
      });
      expect((await row(refused.id)).answered_at).not.toBeNull();
      expect(await events(refused.id)).toHaveLength(2);
      // Idempotent.
      const again = await t.dataSource.transaction((manager) =>
        anonymizer.anonymize(manager, { tenantId: t.tenant.id, personIds: [person.id], now: new Date(), cause: 'erasure' }),
      );
      expect(again.erased['referrals']).toBe(0);

      const text = JSON.stringify([(await agentA.get(`/api/referrals/${refused.id}`)).body, (await workerB.get(`/api/referrals/${open.id}`)).body]);
      expect(text).not.toContain('Texte-Libre');
      expect((await send(person.id)).body.code).toBe('PERSON_ANONYMIZED');
      const withComment = await move(workerB, open.id, { status: 'accepted', comment: 'Nouveau texte' });
      expect([withComment.status, withComment.body.code]).toEqual([409, 'PERSON_ANONYMIZED']);
      expect((await move(workerB, open.id, { status: 'accepted' })).status).toBe(200);
    });
  });
});
