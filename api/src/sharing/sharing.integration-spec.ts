import {
  CONSENT_NOTICE_VERSION,
  DATA_CATEGORIES,
  type AccessLogEntry,
  type AccessOverride,
  type Consent,
  type ConsentRecipientKind,
  type Contact,
  type DataCategory,
  type NetworkSearchHit,
  type Person,
  type Referent,
  type Referral,
  type Role,
  type SubjectAccessExport,
  type TimelineEntry,
} from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { PERSON_FIELD_CATEGORIES } from '../persons/person-projection';

type Agent = TestSession & { userId: string; membershipId: string };

/** Values written on every test person, one per category, to look for in every answer. */
const SECRET: Record<Exclude<DataCategory, 'resources_rights' | 'documents'>, string> = {
  identity_contact: '0611223344',
  family_housing: 'Domiciliation-CCAS-Secret',
  needs_requests: 'Besoin-Detail-Secret',
  interview_summaries: 'Synthese-Entretien-Secret',
};
const PRIVATE_NOTE = 'Note-Privee-Jamais-Partagee';
const ALWAYS_PRESENT = ['id', 'createdAt', 'updatedAt', 'access', 'categories'];

/**
 * The category subsets of the matrix: each one alone (summaries go with the contacts they belong to, so
 * with "besoins et demandes"), pairs, and all.
 */
const SUBSETS: DataCategory[][] = [
  ...DATA_CATEGORIES.filter((c) => c !== 'interview_summaries').map((c) => [c]),
  ['needs_requests', 'interview_summaries'],
  ['identity_contact', 'needs_requests'],
  ['identity_contact', 'family_housing'],
  [...DATA_CATEGORIES],
];
const PARTNER_ROLES: Role[] = ['reception_agent', 'social_worker', 'structure_admin'];

/** A surname no other test person resembles (the search is typo-tolerant). */
const uniqueName = () => Array.from({ length: 9 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('').replace(/^./, (c) => c.toUpperCase());

describe('consent and sharing (integration)', () => {
  let t: TestApp;
  let structureA: string;
  let structureB: string;
  let structureC: string;
  let agentA: Agent;
  let adminA: Agent;
  /** One signed-in agent of partner structure B per role, and a coordinator. */
  const partner = {} as Record<Role, Agent>;
  let agentC: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test partage)' })).id;
    structureB = (await t.createStructure({ name: 'Département B (test partage)', type: 'departmental_social_service' })).id;
    structureC = (await t.createStructure({ name: 'CCAS C (test partage)' })).id;
    agentA = await t.signIn('reception_agent', structureA);
    adminA = await t.signIn('structure_admin', structureA);
    for (const role of [...PARTNER_ROLES, 'coordinator'] as Role[]) partner[role] = await t.signIn(role, structureB);
    agentC = await t.signIn('social_worker', structureC);
  });
  afterAll(() => t.close());

  /** A person followed by A, with every identity field, a contact (needs, summary, private note) and an open request. */
  async function personOfA(): Promise<{ id: string; lastName: string; contactId: string; requestId: string }> {
    const lastName = uniqueName();
    const created = await agentA.post('/api/persons', {
      usageLastName: lastName,
      firstNames: 'Camille',
      birthDate: '1980-05-04',
      communeInsee: '05023',
      phone: SECRET.identity_contact,
      noStableHome: true,
      domiciliation: SECRET.family_housing,
      household: 'alone_with_children',
      dependentChildren: 2,
      confirmNotDuplicate: true,
    });
    expect(created.status).toBe(201);
    const id = (created.body as Person).id;
    const contact = await agentA.post('/api/contacts', {
      clientRequestId: randomUUID(),
      personId: id,
      channel: 'in_person',
      needs: [{ bouquet: 5, subNeed: null, detail: SECRET.needs_requests }],
      answer: 'referral_needed',
      summary: SECRET.interview_summaries,
      privateNote: PRIVATE_NOTE,
      openRequestsForNeeds: [0],
    });
    expect(contact.status).toBe(201);
    const body = contact.body as Contact;
    return { id, lastName, contactId: body.id, requestId: body.requestIds[0] };
  }

  async function consent(personId: string, kind: ConsentRecipientKind, categories: DataCategory[], by: Agent = agentA) {
    return by.post(`/api/persons/${personId}/consents`, {
      clientRequestId: randomUUID(),
      purpose: kind === 'network' ? 'network_visibility' : 'coordinated_follow_up',
      recipientKind: kind,
      recipientStructureId: kind === 'structure' ? structureB : undefined,
      categories: kind === 'network' ? [] : categories,
      collectionMethod: 'oral',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
  }

  /** Everything an agent can read about the person, as one string and by route. */
  async function readAll(agent: Agent, person: { id: string; lastName: string }) {
    const file = await agent.get(`/api/persons/${person.id}`);
    const timeline = await agent.get(`/api/persons/${person.id}/timeline`);
    const requests = await agent.get(`/api/persons/${person.id}/requests`);
    const search = await agent.get(`/api/persons/search?q=${encodeURIComponent(person.lastName)}`);
    const text = JSON.stringify([file.body, timeline.body, requests.body, search.body]);
    return { file, timeline, requests, search, text };
  }

  /** The fields a person JSON may hold for these categories. */
  const expectedKeys = (categories: DataCategory[]) =>
    [...ALWAYS_PRESENT, ...Object.entries(PERSON_FIELD_CATEGORIES).flatMap(([field, c]) => (categories.includes(c) ? [field] : []))].sort();

  describe('matrix: consent × recipient × category × role', () => {
    const cases = SUBSETS.flatMap((categories) => (['structure', 'parcours'] as const).map((kind) => ({ kind, categories })));

    it.each(cases)('$kind recipient, categories $categories', async ({ kind, categories }) => {
      const person = await personOfA();
      expect((await consent(person.id, kind, categories)).status).toBe(201);

      for (const role of PARTNER_ROLES) {
        const seen = await readAll(partner[role], person);
        if (kind === 'parcours') {
          // B does not take part in the person's parcours (it does not follow them): nothing.
          expect([seen.file.status, seen.timeline.status, seen.requests.status]).toEqual([404, 404, 404]);
          expect(seen.search.body).toEqual([]);
          continue;
        }
        expect(seen.file.status).toBe(200);
        const file = seen.file.body as Person;
        expect(file.access).toBe('consent');
        expect(file.categories).toEqual(DATA_CATEGORIES.filter((c) => categories.includes(c)));
        expect(Object.keys(file).sort()).toEqual(expectedKeys(categories));
        // No value of an unconsented category anywhere in what B reads; the private note never.
        for (const [category, value] of Object.entries(SECRET)) {
          expect({ role, category, leaked: seen.text.includes(value) }).toEqual({ role, category, leaked: categories.includes(category as DataCategory) });
        }
        expect(seen.text).not.toContain(PRIVATE_NOTE);
        const timeline = seen.timeline.body as TimelineEntry[];
        const requests = seen.requests.body as { id: string }[];
        if (categories.includes('needs_requests')) {
          const contact = timeline.find((e) => e.kind === 'contact')?.kind === 'contact' ? (timeline.find((e) => e.kind === 'contact') as { contact: Contact }).contact : null;
          expect(contact?.id).toBe(person.contactId);
          expect(Object.prototype.hasOwnProperty.call(contact, 'summary')).toBe(categories.includes('interview_summaries'));
          expect(requests.map((r) => r.id)).toEqual([person.requestId]);
        } else {
          expect(timeline).toEqual([]);
          expect(requests).toEqual([]);
        }
        // The search shows names: only with "identité et coordonnées".
        expect((seen.search.body as { id: string }[]).map((h) => h.id)).toEqual(categories.includes('identity_contact') ? [person.id] : []);
      }

      // Coordinators see aggregates, never files; a structure not named sees nothing.
      expect((await partner.coordinator.get(`/api/persons/${person.id}`)).status).toBe(403);
      const other = await readAll(agentC, person);
      expect([other.file.status, other.timeline.status, other.requests.status]).toEqual([404, 404, 404]);
      expect(other.search.body).toEqual([]);
    });

    it('a following structure sees the others’ records only under a parcours or named consent', async () => {
      const person = await personOfA();
      await t.dataSource.query(`INSERT INTO person_follow (tenant_id, person_id, structure_id, reason) VALUES ($1, $2, $3, 'contact')`, [
        t.tenant.id,
        person.id,
        structureB,
      ]);
      const before = await readAll(partner.social_worker, person);
      expect((before.file.body as Person).access).toBe('followed_by_my_structure');
      expect(before.timeline.body).toEqual([]);
      expect(before.text).not.toContain(SECRET.needs_requests);
      expect((await consent(person.id, 'parcours', ['needs_requests', 'interview_summaries'])).status).toBe(201);
      const after = await readAll(partner.social_worker, person);
      expect(after.text).toContain(SECRET.needs_requests);
      expect(after.text).toContain(SECRET.interview_summaries);
      expect(after.text).not.toContain(PRIVATE_NOTE);
    });
  });

  it('withdrawal takes effect on the very next request, and history is kept', async () => {
    const person = await personOfA();
    const given = await consent(person.id, 'structure', [...DATA_CATEGORIES]);
    const id = (given.body as Consent).id;
    expect((await partner.social_worker.get(`/api/persons/${person.id}`)).status).toBe(200);

    const withdrawn = await agentA.post(`/api/persons/${person.id}/consents/${id}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ id, active: false, withdrawnBy: { structureName: 'France Services A (test partage)' } });
    const after = await readAll(partner.social_worker, person);
    expect([after.file.status, after.timeline.status, after.requests.status]).toEqual([404, 404, 404]);
    expect(after.search.body).toEqual([]);

    // Withdrawing again changes nothing; the consent stays in the history.
    const again = await agentA.post(`/api/persons/${person.id}/consents/${id}/withdraw`);
    expect(again.body.withdrawnAt).toBe(withdrawn.body.withdrawnAt);
    const history = (await agentA.get(`/api/persons/${person.id}/consents`)).body as Consent[];
    expect(history.map((c) => [c.id, c.active])).toEqual([[id, false]]);
    // The database refuses to rewrite or delete a consent.
    await expect(t.dataSource.query(`UPDATE consent SET categories = '{documents}' WHERE id = $1`, [id])).rejects.toThrow(/history is kept/);
    await expect(t.dataSource.query(`UPDATE consent SET withdrawn_at = now() WHERE id = $1`, [id])).rejects.toThrow(/history is kept/);
    await expect(t.dataSource.query(`DELETE FROM consent WHERE id = $1`, [id])).rejects.toThrow(/history is kept/);
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_event WHERE entity_type = 'person' AND entity_id = $1 AND action LIKE 'consent.%' ORDER BY id`,
      [person.id],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['consent.create', 'consent.withdraw']);
  });

  it('a consent that has lapsed shares nothing', async () => {
    const person = await personOfA();
    const res = await agentA.post(`/api/persons/${person.id}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'orientation',
      recipientKind: 'structure',
      recipientStructureId: structureB,
      categories: ['identity_contact'],
      collectionMethod: 'signed_paper',
      noticeVersion: CONSENT_NOTICE_VERSION,
      validUntil: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(res.status).toBe(201);
    expect((await partner.reception_agent.get(`/api/persons/${person.id}`)).status).toBe(200);
    // An hour later (the clock moved): the consent has lapsed.
    await t.dataSource.query(`ALTER TABLE consent DISABLE TRIGGER consent_history_kept`);
    await t.dataSource.query(`UPDATE consent SET collected_at = now() - interval '2 days', valid_until = now() - interval '1 minute' WHERE id = $1`, [
      (res.body as Consent).id,
    ]);
    await t.dataSource.query(`ALTER TABLE consent ENABLE TRIGGER consent_history_kept`);
    expect((await partner.reception_agent.get(`/api/persons/${person.id}`)).status).toBe(404);
    const [listed] = (await agentA.get(`/api/persons/${person.id}/consents`)).body as Consent[];
    expect(listed.active).toBe(false);
  });

  describe('recording a consent', () => {
    it('is idempotent on clientRequestId and validated at the edge', async () => {
      const person = await personOfA();
      const body = {
        clientRequestId: randomUUID(),
        purpose: 'orientation',
        recipientKind: 'structure',
        recipientStructureId: structureB,
        categories: ['identity_contact', 'needs_requests'],
        collectionMethod: 'digital',
        noticeVersion: CONSENT_NOTICE_VERSION,
      };
      const first = await agentA.post(`/api/persons/${person.id}/consents`, body);
      const second = await agentA.post(`/api/persons/${person.id}/consents`, body);
      expect(first.status).toBe(201);
      expect(second.body.id).toBe(first.body.id);
      expect(first.body).toMatchObject({
        recipient: { kind: 'structure', structureId: structureB, structureName: 'Département B (test partage)' },
        categories: ['identity_contact', 'needs_requests'],
        collectedBy: { structureId: structureA },
        noticeVersion: CONSENT_NOTICE_VERSION,
        active: true,
        withdrawnAt: null,
      });
      const count = await t.dataSource.query(`SELECT count(*)::int AS n FROM consent WHERE person_id = $1`, [person.id]);
      expect(count[0].n).toBe(1);

      const bad = async (changes: object, field: string) => {
        const res = await agentA.post(`/api/persons/${person.id}/consents`, { ...body, clientRequestId: randomUUID(), ...changes });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(JSON.stringify(res.body.details)).toContain(field);
      };
      await bad({ noticeVersion: '2020-01' }, 'noticeVersion');
      await bad({ categories: [] }, 'categories');
      await bad({ categories: ['health'] }, 'categories');
      await bad({ categories: ['identity_contact', 'interview_summaries'] }, 'categories');
      await bad({ recipientStructureId: undefined }, 'recipientStructureId');
      await bad({ recipientStructureId: structureA }, 'recipientStructureId');
      await bad({ recipientStructureId: randomUUID() }, 'recipientStructureId');
      await bad({ recipientKind: 'network' }, 'recipientKind');
      await bad({ purpose: 'network_visibility', recipientKind: 'network', recipientStructureId: undefined }, 'recipientKind');
      await bad({ validUntil: '2001-01-01T00:00:00Z' }, 'validUntil');
      await bad({ extra: 1 }, 'extra');
    });

    it('only by a structure that follows the person', async () => {
      const person = await personOfA();
      await consent(person.id, 'structure', ['identity_contact']);
      // B sees the file under consent, but may neither record consents nor change the identity.
      const byB = await consent(person.id, 'parcours', ['documents'], partner.social_worker);
      expect(byB.status).toBe(403);
      expect((await partner.social_worker.get(`/api/persons/${person.id}/consents`)).status).toBe(403);
      expect((await partner.social_worker.patch(`/api/persons/${person.id}`, { firstNames: 'Autre' })).status).toBe(403);
      // C does not even learn that the person exists.
      expect((await consent(person.id, 'parcours', ['documents'], agentC)).status).toBe(404);
    });
  });

  describe('network visibility', () => {
    it('finds nothing without the consent; with it, the minimal identity and who knows the person, by name only', async () => {
      const person = await personOfA();
      const search = (agent: Agent, q: string) => agent.get(`/api/persons/network-search?q=${encodeURIComponent(q)}`);
      expect((await search(agentC, `${person.lastName} Camille`)).body).toEqual([]);

      expect((await consent(person.id, 'network', [])).status).toBe(201);
      const found = await search(agentC, `${person.lastName} Camille`);
      expect(found.status).toBe(200);
      const hits = found.body as NetworkSearchHit[];
      expect(hits).toEqual([
        {
          id: person.id,
          usageLastName: person.lastName,
          birthLastName: null,
          firstNames: 'Camille',
          birthYear: 1980,
          knownBy: [{ structureId: structureA, structureName: 'France Services A (test partage)', phone: null, email: null }],
          referent: null,
        },
      ]);
      expect(JSON.stringify(found.body)).not.toContain(SECRET.identity_contact);
      // By phone: never across the network. And the file itself stays closed.
      expect((await search(agentC, SECRET.identity_contact)).body).toEqual([]);
      expect((await agentC.get(`/api/persons/${person.id}`)).status).toBe(404);
      expect((await agentC.get(`/api/persons/search?q=${person.lastName}`)).body).toEqual([]);
      // A, which already sees the file, does not get it again as a network hit.
      expect((await search(agentA, person.lastName)).body).toEqual([]);
      const audit = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE user_id = $1 AND action = 'person.search' AND reason = 'network'`, [
        agentC.userId,
      ]);
      expect(audit[0].n).toBe(2);
    });
  });

  describe('exceptional access for a legal reason', () => {
    it('requires the dedicated permission and a reason, opens the file for a few hours, and is flagged for the admin', async () => {
      const person = await personOfA();
      const worker = await t.signIn('social_worker', structureC);
      const override = (body: object) => worker.post(`/api/persons/${person.id}/access-overrides`, body);
      const reason = { legalBasis: 'danger', justification: 'Signalement d’un danger imminent par un voisin.' };

      const refused = await override(reason);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect((await worker.get(`/api/persons/${person.id}`)).status).toBe(404);

      // C's admin grants the permission (only their own agents, only person roles).
      const adminC = await t.signIn('structure_admin', structureC);
      expect((await adminA.post(`/api/agents/${worker.membershipId}/consent-override`, { allowed: true })).status).toBe(404);
      const granted = await adminC.post(`/api/agents/${worker.membershipId}/consent-override`, { allowed: true });
      expect(granted.status).toBe(200);
      expect(granted.body.mayOverrideConsent).toBe(true);
      const coordinatorC = await t.signIn('coordinator', structureC);
      expect((await adminC.post(`/api/agents/${coordinatorC.membershipId}/consent-override`, { allowed: true })).status).toBe(400);
      expect((await worker.get('/api/auth/me')).body.activeMembership.mayOverrideConsent).toBe(true);

      expect((await override({ legalBasis: 'danger', justification: 'court' })).status).toBe(400);
      expect((await override({ legalBasis: 'curiosity', justification: reason.justification })).status).toBe(400);
      const done = await override(reason);
      expect(done.status).toBe(201);
      const grant = done.body as AccessOverride;
      expect(new Date(grant.expiresAt).getTime() - new Date(grant.createdAt).getTime()).toBe(4 * 3_600_000);

      const file = await worker.get(`/api/persons/${person.id}`);
      expect(file.status).toBe(200);
      expect(file.body).toMatchObject({ access: 'override', categories: [...DATA_CATEGORIES], phone: SECRET.identity_contact });
      const timeline = JSON.stringify((await worker.get(`/api/persons/${person.id}/timeline`)).body);
      expect(timeline).toContain(SECRET.interview_summaries);
      expect(timeline).not.toContain(PRIVATE_NOTE);

      const flagged = await t.dataSource.query(
        `SELECT outcome, reason, flagged FROM audit_event WHERE action = 'person.access_override' AND entity_id = $1 ORDER BY id`,
        [person.id],
      );
      expect(flagged).toEqual([
        { outcome: 'denied', reason: 'no_permission', flagged: false },
        { outcome: 'success', reason: 'danger', flagged: true },
      ]);
      expect(JSON.stringify(flagged)).not.toContain('voisin');

      // C's admin reviews it; A's admin does not see C's agents' overrides.
      expect(((await adminA.get('/api/access-overrides')).body as AccessOverride[]).map((o) => o.id)).not.toContain(grant.id);
      const pending = (await adminC.get('/api/access-overrides')).body as AccessOverride[];
      expect(pending).toEqual([expect.objectContaining({ id: grant.id, justification: reason.justification, reviewedAt: null })]);
      expect((await worker.get('/api/access-overrides')).status).toBe(403);
      expect((await adminA.post(`/api/access-overrides/${grant.id}/review`)).status).toBe(404);
      const reviewed = await adminC.post(`/api/access-overrides/${grant.id}/review`);
      expect(reviewed.status).toBe(200);
      expect(reviewed.body.reviewedAt).not.toBeNull();

      // The person's subject-access export names the access and its review, never the justification.
      const exported = (await adminA.get(`/api/persons/${person.id}/export.json`)).body as SubjectAccessExport;
      expect(exported.exceptionalAccesses).toEqual([
        expect.objectContaining({ legalBasis: 'danger', at: grant.createdAt, until: grant.expiresAt, reviewedAt: reviewed.body.reviewedAt }),
      ]);
      expect(JSON.stringify(exported.exceptionalAccesses)).not.toContain('voisin');

      // Four hours later, the access has ended.
      await t.dataSource.query(`UPDATE access_override SET created_at = now() - interval '5 hours', expires_at = now() - interval '1 hour' WHERE id = $1`, [
        grant.id,
      ]);
      expect((await worker.get(`/api/persons/${person.id}`)).status).toBe(404);
    });
  });

  describe('access log', () => {
    it('tells the admin of a following structure who opened the file, when, from where and why', async () => {
      const person = await personOfA();
      await consent(person.id, 'structure', ['identity_contact']);
      await partner.social_worker.get(`/api/persons/${person.id}`);
      expect((await agentA.get(`/api/persons/${person.id}/access-log`)).status).toBe(403);
      expect((await partner.structure_admin.get(`/api/persons/${person.id}/access-log`)).status).toBe(403);

      const log = await adminA.get(`/api/persons/${person.id}/access-log`);
      expect(log.status).toBe(200);
      const entries = log.body as AccessLogEntry[];
      expect(entries[0]).toMatchObject({ action: 'person.access_log.read', structureName: 'France Services A (test partage)' });
      expect(entries).toContainEqual(
        expect.objectContaining({
          action: 'person.read',
          actionLabel: 'Consultation du dossier',
          structureName: 'Département B (test partage)',
          userName: 'Dominique Test',
          reason: 'consent',
          flagged: false,
        }),
      );
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['person.create', 'consent.create']));
    });
  });

  describe('subject-access export', () => {
    it('gives the admin of a following structure everything held, shared, consented and logged, as JSON', async () => {
      const person = await personOfA();
      await consent(person.id, 'structure', ['identity_contact']);
      await partner.social_worker.get(`/api/persons/${person.id}`);
      const sent = await agentA.post('/api/referrals', {
        clientRequestId: randomUUID(),
        personId: person.id,
        toStructureId: structureB,
        bouquet: 5,
        message: 'Message-Orientation-Export',
        categories: ['identity_contact'],
        requestId: person.requestId,
      });
      expect(sent.status).toBe(201);
      const designated = await agentA.post(`/api/persons/${person.id}/referent`, {
        userId: agentA.userId,
        criteria: ['person_preference', 'feasibility'],
        chosenWithPerson: true,
        criteriaNote: 'Note-Criteres-Export',
      });
      expect(designated.status).toBe(200);
      expect((await agentA.get(`/api/persons/${person.id}/export.json`)).status).toBe(403);
      expect((await partner.structure_admin.get(`/api/persons/${person.id}/export.json`)).status).toBe(403);

      const res = await adminA.get(`/api/persons/${person.id}/export.json`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toContain('attachment');
      expect(res.headers['cache-control']).toBe('no-store');
      const data = res.body as SubjectAccessExport;
      expect(data).toMatchObject({
        format: 'passerelle.subject-access/1',
        generatedBy: { structureName: 'France Services A (test partage)' },
        person: { id: person.id, usageLastName: person.lastName, phone: SECRET.identity_contact, domiciliation: SECRET.family_housing },
        followedBy: [{ structureName: 'France Services A (test partage)' }],
      });
      expect(data.contacts.map((c) => [c.id, c.summary, c.privateNote])).toEqual([[person.contactId, SECRET.interview_summaries, PRIVATE_NOTE]]);
      expect(data.requests.map((r) => r.id)).toEqual([person.requestId]);
      expect(data.consents).toHaveLength(1);
      expect(data.documents).toEqual([]);
      expect(data.referrals.map((r) => [r.id, r.from.name, r.to.name, r.bouquet, r.status, r.message])).toEqual([
        [(sent.body as Referral).id, 'France Services A (test partage)', 'Département B (test partage)', 5, 'sent', 'Message-Orientation-Export'],
      ]);
      expect(data.referents).toEqual([
        expect.objectContaining({
          personId: person.id,
          user: { id: agentA.userId, name: 'Dominique Test' },
          structure: expect.objectContaining({ id: structureA, name: 'France Services A (test partage)' }),
          criteria: ['person_preference', 'feasibility'],
          chosenWithPerson: true,
          criteriaNote: 'Note-Criteres-Export',
          endedAt: null,
        }),
      ]);
      expect(data.handoffs).toEqual([]);
      expect(data.accessLog).toContainEqual(expect.objectContaining({ action: 'person.read', structureName: 'Département B (test partage)', reason: 'consent' }));
      const audit = await t.dataSource.query(`SELECT user_id FROM audit_event WHERE action = 'person.export' AND entity_id = $1`, [person.id]);
      expect(audit).toEqual([{ user_id: adminA.userId }]);
    });

    it('lists the référents and the handoffs: its own handoffs with their note, the others’ only that they took place', async () => {
      const person = await personOfA();
      expect((await consent(person.id, 'structure', ['identity_contact'])).status).toBe(201);
      const workerB = partner.social_worker;
      expect(
        (await agentA.post(`/api/persons/${person.id}/referent`, { userId: agentA.userId, criteria: ['relevance'], chosenWithPerson: true, criteriaNote: 'Note-Criteres-A' }))
          .status,
      ).toBe(200);
      // A hands the case to B's social worker, who accepts and becomes the référent (B then follows the person).
      const toB = await agentA.post('/api/handoffs', { clientRequestId: randomUUID(), personId: person.id, toUserId: workerB.userId, note: 'Note-Relais-A-vers-B', proposeReferent: true });
      expect(toB.status).toBe(201);
      const accepted = await workerB.post(`/api/handoffs/${toB.body.id}/answer`, { decision: 'accept', becomeReferent: true, criteria: ['feasibility'], chosenWithPerson: false });
      expect(accepted.status).toBe(200);
      // Then B hands it on within B: A takes no part in that one.
      const withinB = await workerB.post('/api/handoffs', {
        clientRequestId: randomUUID(),
        personId: person.id,
        toUserId: partner.structure_admin.userId,
        toStructureId: structureB,
        note: 'Note-Relais-Interne-B',
      });
      expect(withinB.status).toBe(201);

      const res = await adminA.get(`/api/persons/${person.id}/export.json`);
      expect(res.status).toBe(200);
      const data = res.body as SubjectAccessExport;
      expect(data.referents.map((r: Referent) => [r.user.id, r.structure.id, r.criteria, r.chosenWithPerson, r.endedReason, r.endedAt === null])).toEqual([
        [workerB.userId, structureB, ['feasibility'], false, null, true],
        [agentA.userId, structureA, ['relevance'], true, 'handoff', false],
      ]);
      expect(data.referents[0]).not.toHaveProperty('criteriaNote'); // B's, not A's to give
      expect(data.referents[1].criteriaNote).toBe('Note-Criteres-A');
      expect(data.handoffs).toEqual([
        {
          id: withinB.body.id,
          from: { structureId: structureB, structureName: 'Département B (test partage)', userName: null },
          to: { structureId: structureB, structureName: 'Département B (test partage)', userName: null },
          status: 'proposed',
          proposedAt: withinB.body.proposedAt,
          answeredAt: null,
          ownStructure: false,
        },
        {
          id: toB.body.id,
          from: { structureId: structureA, structureName: 'France Services A (test partage)', userName: 'Dominique Test' },
          to: { structureId: structureB, structureName: 'Département B (test partage)', userName: 'Dominique Test' },
          status: 'accepted',
          proposedAt: toB.body.proposedAt,
          answeredAt: accepted.body.answeredAt,
          ownStructure: true,
          note: 'Note-Relais-A-vers-B',
          declineReason: null,
        },
      ]);
      expect(JSON.stringify(data)).not.toContain('Note-Relais-Interne-B');
    });
  });
});
