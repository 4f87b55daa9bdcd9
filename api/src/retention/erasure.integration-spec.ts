import { CONSENT_NOTICE_VERSION, type Contact, type CreatePersonRequest, type ErasureReport, type Person, type PersonSearchHit } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { followPerson } from '../contacts/testing/reception-fixtures';
import { MERGED_MESSAGE } from '../persons/person-access.service';
import { ERASED_TEXT } from './attached-data-erasers';
import { ANONYMIZED_NAME, PersonAnonymizer } from './person-anonymizer';

type Session = TestSession & { userId: string; structureId: string | null };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** Everything personal the fixtures write: none of it may be left anywhere after the erasure. */
const PERSONAL = /Kerbrat|Gwenaëlle|Morvan|0612345678|kerbrat@example|Lilas|Violences|voisine|déménagé|APL ouverte|Carte d’identité/;

describe('erasure at the person’s request, RGPD art. 17 (integration)', () => {
  let t: TestApp;
  let structureA: string;
  let structureB: string;
  let adminA: Session;
  let receptionA: Session;
  let agentB: Session;
  let adminB: Session;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test effacement)', type: 'france_services', communeInsee: '05023' })).id;
    structureB = (await t.createStructure({ name: 'CCAS B (test effacement)', type: 'ccas', communeInsee: '05061' })).id;
    adminA = await t.signIn('structure_admin', structureA);
    receptionA = await t.signIn('reception_agent', structureA);
    agentB = await t.signIn('reception_agent', structureB);
    adminB = await t.signIn('structure_admin', structureB);
  });
  afterAll(() => t.close());

  const erase = (session: TestSession, personId: string, body: object = { basis: 'person_request', confirmation: 'EFFACER' }) =>
    session.post(`/api/persons/${personId}/erasure`, body);

  /** A file with a full identity, created through the API by the reception agent of A (so A follows it). */
  async function createPerson(body: CreatePersonRequest = {}): Promise<Person> {
    const res = await receptionA.post('/api/persons', {
      confirmNotDuplicate: true,
      usageLastName: 'Kerbrat',
      birthLastName: 'Morvan',
      firstNames: 'Gwenaëlle',
      birthDate: '1984-03-12',
      communeInsee: '05023',
      phone: '06 12 34 56 78',
      email: 'kerbrat@example.fr',
      languages: ['breton', 'français'],
      needsInterpreter: true,
      contactPreference: 'sms',
      household: 'alone_with_children',
      dependentChildren: 2,
      nationalityGroup: 'france',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as Person;
  }

  /** A contact with free text everywhere, opening a request per need. */
  async function logContact(agent: TestSession, personId: string, bouquets: number[] = [14, 5]): Promise<Contact> {
    const res = await agent.post('/api/contacts', {
      clientRequestId: randomUUID(),
      personId,
      channel: 'in_person',
      needs: bouquets.map((bouquet) => ({ bouquet, subNeed: bouquet === 14 ? 'Impayés de loyer' : null, detail: `Détail ${bouquet} : Mme Kerbrat` })),
      answer: 'referral_needed',
      summary: 'Mme Kerbrat, hébergée chez sa sœur rue des Lilas.',
      privateNote: 'Violences conjugales évoquées.',
      openRequestsForNeeds: bouquets.map((_, i) => i),
    });
    expect(res.status).toBe(201);
    return res.body as Contact;
  }

  const requestsOf = (personId: string): Promise<{ id: string; structure_id: string; bouquet: number; status: string }[]> =>
    t.dataSource.query(`SELECT id, structure_id, bouquet, status FROM request WHERE person_id = $1 ORDER BY structure_id = $2 DESC, bouquet DESC`, [personId, structureA]);

  async function setStatus(agent: TestSession, requestId: string, status: string, reason?: string): Promise<void> {
    const res = await agent.post(`/api/requests/${requestId}/status`, { status, reason });
    expect(res.status).toBe(200);
  }

  /** Every request of the file closed (resolved), by the structure that holds it. */
  async function closeAll(personId: string): Promise<void> {
    for (const request of await requestsOf(personId)) {
      if (request.status === 'open' || request.status === 'in_progress') {
        await setStatus(request.structure_id === structureA ? receptionA : agentB, request.id, 'resolved', 'Droit ouvert.');
      }
    }
  }

  const personRow = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT usage_last_name, birth_last_name, first_names, birth_date, birth_date_precision, commune_insee, no_stable_home, domiciliation,
                phone, email, languages, needs_interpreter, contact_preference, household, dependent_children, nationality_group,
                merged_into_id, anonymized_at IS NOT NULL AS anonymized, tenant_id, created_by_structure_id
           FROM person WHERE id = $1`,
        [id],
      )
    )[0];

  /** What anonymous statistics count: needs by bouquet, contacts by channel/answer/structure/day, requests by bouquet/status/dates, files, follows. */
  async function statistics(): Promise<unknown> {
    const q = (sql: string) => t.dataSource.query(sql, [t.tenant.id]);
    return {
      needsByBouquet: await q(
        `SELECT n.bouquet, n.sub_need, count(*)::int AS n FROM contact_need n JOIN contact c ON c.id = n.contact_id WHERE c.tenant_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      ),
      contacts: await q(
        `SELECT channel, answer, structure_id, agent_user_id, date_trunc('day', occurred_at) AS day, count(*)::int AS n
           FROM contact WHERE tenant_id = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      ),
      requests: await q(
        `SELECT bouquet, sub_need, structure_id, status, opened_at, closed_at, count(*)::int AS n FROM request WHERE tenant_id = $1 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
      ),
      persons: await q(`SELECT count(*)::int AS n, count(*) FILTER (WHERE merged_into_id IS NULL)::int AS roots FROM person WHERE tenant_id = $1`),
      follows: await q(`SELECT count(*)::int AS n FROM person_follow WHERE tenant_id = $1`),
    };
  }

  const erasureAudits = (personId: string) =>
    t.dataSource.query(`SELECT action, outcome, entity_type, entity_id, reason, user_id, structure_id, role FROM audit_event WHERE action = 'person.erasure' AND entity_id = $1`, [
      personId,
    ]);

  it('anonymises identity, free text, documents and merged files like the retention, keeps the statistics, and is audited without personal data', async () => {
    const person = await createPerson();
    await followPerson(t.dataSource, t.tenant.id, person.id, structureB);
    await logContact(receptionA, person.id);
    await logContact(agentB, person.id, [8]);
    const [noFollowUp, resolved, ofB] = await requestsOf(person.id);
    expect([noFollowUp.bouquet, resolved.bouquet, ofB.bouquet]).toEqual([14, 5, 8]);
    await setStatus(receptionA, noFollowUp.id, 'no_follow_up', 'Mme Kerbrat a déménagé chez son frère.');
    await setStatus(receptionA, resolved.id, 'resolved', 'APL ouverte pour Mme Kerbrat.');
    await setStatus(agentB, ofB.id, 'resolved', 'APL ouverte pour Mme Kerbrat.');
    // A duplicate with its own contact (closed request), merged into the file by the admin.
    const duplicate = await createPerson({ firstNames: 'Gwenaelle' });
    await logContact(receptionA, duplicate.id, [11]);
    await closeAll(duplicate.id);
    expect((await adminA.post(`/api/persons/${person.id}/merge`, { sourcePersonId: duplicate.id, confirm: true })).status).toBe(200);
    // A document, a consent shared with B, an exceptional access with its justification.
    const doc = await t
      .http()
      .post(`/api/persons/${person.id}/documents`)
      .set('Cookie', receptionA.cookies)
      .set('X-XSRF-TOKEN', receptionA.csrfToken)
      .field('kind', 'identity')
      .field('category', 'identity_contact')
      .field('title', 'Carte d’identité de Mme Kerbrat')
      .attach('file', PDF, { filename: 'cni.pdf', contentType: 'application/pdf' });
    expect(doc.status).toBe(201);
    const consent = await receptionA.post(`/api/persons/${person.id}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'orientation',
      recipientKind: 'structure',
      recipientStructureId: structureB,
      categories: ['identity_contact', 'needs_requests'],
      collectionMethod: 'oral',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
    expect(consent.status).toBe(201);
    await t.dataSource.query(
      `INSERT INTO access_override (tenant_id, person_id, user_id, structure_id, legal_basis, justification, expires_at)
       VALUES ($1, $2, $3, $4, 'danger', 'Signalement de danger par la voisine de Mme Kerbrat.', now() + interval '4 hours')`,
      [t.tenant.id, person.id, agentB.userId, structureB],
    );
    // Another person of the tenant: untouched.
    const other = await createPerson({ usageLastName: 'Lagadec', firstNames: 'Yann', phone: '0698765432', email: null });
    await logContact(receptionA, other.id, [14]);

    // The merged file is not the one to erase: 404, like every route on it, saying it was merged.
    const onMerged = await erase(adminA, duplicate.id);
    expect({ status: onMerged.status, code: onMerged.body.code, message: onMerged.body.message }).toEqual({ status: 404, code: 'NOT_FOUND', message: MERGED_MESSAGE });

    const found = (await receptionA.get(`/api/persons/search?q=${encodeURIComponent('Kerbrat Gwenaëlle')}`)).body as PersonSearchHit[];
    expect(found.map((h) => h.id)).toContain(person.id);
    const consentsBefore = await t.dataSource.query(`SELECT to_jsonb(c) AS row FROM consent c WHERE person_id = $1`, [person.id]);
    const statsBefore = await statistics();
    const otherBefore = await personRow(other.id);

    const res = await erase(adminA, person.id, { basis: 'consent_withdrawn', confirmation: 'EFFACER' });
    expect(res.status).toBe(200);
    const report = res.body as ErasureReport;
    expect(report).toEqual({
      personId: person.id,
      basis: 'consent_withdrawn',
      anonymizedAt: expect.any(String),
      personsAnonymized: 2,
      erased: expect.any(Object),
    });
    // Every eraser ran (the same ones as the retention's): contacts: 3 (texts) + 4 needs' details;
    // requests: 4; the override; the document; other features' erasers found nothing of theirs here.
    const { access_overrides, contacts: contactRows, documents, requests, ...others } = report.erased;
    expect({ access_overrides, contacts: contactRows, documents, requests }).toEqual({ access_overrides: 1, contacts: 7, documents: 1, requests: 4 });
    expect(Object.keys(report.erased).sort()).toEqual([...t.app.get(PersonAnonymizer).eraserNames].sort());
    expect(Object.values(others).every((n) => n === 0)).toBe(true);

    for (const id of [person.id, duplicate.id]) {
      expect(await personRow(id)).toEqual({
        usage_last_name: ANONYMIZED_NAME,
        birth_last_name: null,
        first_names: null,
        birth_date: null,
        birth_date_precision: null,
        commune_insee: null,
        no_stable_home: false,
        domiciliation: null,
        phone: null,
        email: null,
        languages: [],
        needs_interpreter: false,
        contact_preference: null,
        household: null,
        dependent_children: null,
        nationality_group: null,
        merged_into_id: id === duplicate.id ? person.id : null,
        anonymized: true,
        tenant_id: t.tenant.id,
        created_by_structure_id: structureA,
      });
    }
    const [{ anonymized_at }] = await t.dataSource.query(`SELECT anonymized_at FROM person WHERE id = $1`, [person.id]);
    expect((anonymized_at as Date).toISOString()).toBe(report.anonymizedAt);

    // Free text gone, at every structure; codes, statuses, dates kept.
    const contacts = await t.dataSource.query(
      `SELECT c.summary, c.private_note, array_agg(n.detail) AS details FROM contact c JOIN contact_need n ON n.contact_id = c.id WHERE c.person_id = $1 GROUP BY c.id`,
      [person.id],
    );
    expect(contacts).toHaveLength(3);
    for (const contact of contacts) expect(contact).toEqual({ summary: null, private_note: null, details: contact.details.map(() => null) });
    expect(await t.dataSource.query(`SELECT bouquet, status, description, closed_reason FROM request WHERE person_id = $1 ORDER BY bouquet`, [person.id])).toEqual([
      { bouquet: 5, status: 'resolved', description: null, closed_reason: null },
      { bouquet: 8, status: 'resolved', description: null, closed_reason: null },
      { bouquet: 11, status: 'resolved', description: null, closed_reason: null },
      { bouquet: 14, status: 'no_follow_up', description: null, closed_reason: ERASED_TEXT },
    ]);
    expect(await t.dataSource.query(`SELECT justification, legal_basis FROM access_override WHERE person_id = $1`, [person.id])).toEqual([
      { justification: ERASED_TEXT, legal_basis: 'danger' },
    ]);
    expect(await t.dataSource.query(`SELECT 1 FROM document WHERE person_id = ANY($1::uuid[])`, [[person.id, duplicate.id]])).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM document_content WHERE document_id = $1`, [doc.body.id])).toEqual([]);
    // Consents are history: kept as they were.
    expect(await t.dataSource.query(`SELECT to_jsonb(c) AS row FROM consent c WHERE person_id = $1`, [person.id])).toEqual(consentsBefore);
    expect(await statistics()).toEqual(statsBefore);
    expect(await personRow(other.id)).toEqual(otherBefore);
    const otherContacts = await t.dataSource.query(`SELECT summary FROM contact WHERE person_id = $1`, [other.id]);
    expect(otherContacts).toEqual([{ summary: expect.stringContaining('Kerbrat') }]);

    // Nothing personal left in the file's rows, nor in the audit trail (the basis is a code).
    const leftovers = await t.dataSource.query(
      `SELECT (SELECT jsonb_agg(p) FROM person p WHERE p.id = ANY($1::uuid[]))::text AS person,
              (SELECT jsonb_agg(c) FROM contact c WHERE c.person_id = ANY($1::uuid[]))::text AS contacts,
              (SELECT jsonb_agg(n) FROM contact_need n JOIN contact c ON c.id = n.contact_id WHERE c.person_id = ANY($1::uuid[]))::text AS needs,
              (SELECT jsonb_agg(r) FROM request r WHERE r.person_id = ANY($1::uuid[]))::text AS requests,
              (SELECT jsonb_agg(o) FROM access_override o WHERE o.person_id = ANY($1::uuid[]))::text AS overrides,
              (SELECT jsonb_agg(a) FROM audit_event a)::text AS audit`,
      [[person.id, duplicate.id]],
    );
    for (const [table, json] of Object.entries(leftovers[0] as Record<string, string | null>)) {
      expect({ table, personalDataLeft: PERSONAL.test(json ?? '') }).toEqual({ table, personalDataLeft: false });
    }
    expect(await erasureAudits(person.id)).toEqual([
      {
        action: 'person.erasure',
        outcome: 'success',
        entity_type: 'person',
        entity_id: person.id,
        reason: 'consent_withdrawn',
        user_id: adminA.userId,
        structure_id: structureA,
        role: 'structure_admin',
      },
    ]);

    // It now behaves like a file anonymised by the retention: out of search, still opens, empty, marked.
    const hits = (await receptionA.get(`/api/persons/search?q=${encodeURIComponent('Kerbrat Gwenaëlle')}`)).body as PersonSearchHit[];
    expect(hits.map((h) => h.id)).not.toContain(person.id);
    const file = await receptionA.get(`/api/persons/${person.id}`);
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({ id: person.id, usageLastName: ANONYMIZED_NAME, firstNames: null, phone: null, anonymizedAt: report.anonymizedAt });
    expect(JSON.stringify(file.body)).not.toMatch(PERSONAL);
    expect((await receptionA.get(`/api/persons/${other.id}`)).body.anonymizedAt).toBeUndefined();
    const timeline = await receptionA.get(`/api/persons/${person.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).not.toMatch(PERSONAL);

    // Nothing can be added to it any more: a new passage, a consent, a document (409; the person, if
    // they come back, gets a new file).
    const contact = await receptionA.post('/api/contacts', {
      clientRequestId: randomUUID(),
      personId: person.id,
      channel: 'phone',
      needs: [{ bouquet: 14, subNeed: null, detail: null }],
      answer: 'information',
      summary: 'Mme Kerbrat rappelle.',
    });
    expect({ status: contact.status, code: contact.body.code }).toEqual({ status: 409, code: 'PERSON_ANONYMIZED' });
    const newConsent = await receptionA.post(`/api/persons/${person.id}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'orientation',
      recipientKind: 'structure',
      recipientStructureId: structureB,
      categories: ['identity_contact'],
      collectionMethod: 'oral',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
    expect({ status: newConsent.status, code: newConsent.body.code }).toEqual({ status: 409, code: 'PERSON_ANONYMIZED' });
    const newDoc = await t
      .http()
      .post(`/api/persons/${person.id}/documents`)
      .set('Cookie', receptionA.cookies)
      .set('X-XSRF-TOKEN', receptionA.csrfToken)
      .field('kind', 'letter')
      .field('category', 'documents')
      .field('title', 'Courrier')
      .attach('file', PDF, { filename: 'courrier.pdf', contentType: 'application/pdf' });
    expect({ status: newDoc.status, code: newDoc.body.code }).toEqual({ status: 409, code: 'PERSON_ANONYMIZED' });
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM contact WHERE person_id = $1`, [person.id])).toEqual([{ n: 3 }]);

    // Once is enough; nothing changes on a second try.
    const again = await erase(adminA, person.id);
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'ALREADY_ANONYMIZED' });
    expect(await erasureAudits(person.id)).toHaveLength(1);

    // An anonymised file can no longer be edited, nor merged (either way): a clear 409, not a CHECK's 400.
    const edit = await receptionA.patch(`/api/persons/${person.id}`, { phone: '0611111111' });
    expect({ status: edit.status, code: edit.body.code }).toEqual({ status: 409, code: 'PERSON_ANONYMIZED' });
    expect(edit.body.message).toContain('anonymisé');
    expect((await personRow(person.id)).phone).toBeNull();
    const intoIt = await adminA.post(`/api/persons/${person.id}/merge`, { sourcePersonId: other.id, confirm: true });
    expect({ status: intoIt.status, code: intoIt.body.code }).toEqual({ status: 409, code: 'PERSON_ANONYMIZED' });
    const fromIt = await adminA.post(`/api/persons/${other.id}/merge`, { sourcePersonId: person.id, confirm: true });
    expect({ status: fromIt.status, code: fromIt.body.code }).toEqual({ status: 409, code: 'PERSON_ANONYMIZED' });
    expect((await personRow(other.id)).merged_into_id).toBeNull();
  });

  it('is for the admin of a structure that follows the person: 404 for another structure, 403 when only shared, 403 for other roles', async () => {
    const person = await createPerson({ usageLastName: 'Le Goff', firstNames: 'Maël' });
    const before = await personRow(person.id);

    // Another structure's admin does not see the file: 404, as for a file that does not exist.
    const stranger = await erase(adminB, person.id);
    expect({ status: stranger.status, code: stranger.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await erase(adminA, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // Shared with B by consent: B reads it, but erasing is for the structures that follow the person.
    const consent = await receptionA.post(`/api/persons/${person.id}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'orientation',
      recipientKind: 'structure',
      recipientStructureId: structureB,
      categories: ['identity_contact'],
      collectionMethod: 'oral',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
    expect(consent.status).toBe(201);
    const shared = await erase(adminB, person.id);
    expect({ status: shared.status, code: shared.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });

    // Agents of the following structure who are not its admin: 403 (role), whatever the body.
    expect((await erase(receptionA, person.id)).status).toBe(403);
    const worker = await t.signIn('social_worker', structureA);
    expect((await erase(worker, person.id)).status).toBe(403);
    const coordinator = await t.signIn('coordinator');
    expect((await erase(coordinator, person.id)).status).toBe(403);

    expect(await personRow(person.id)).toEqual(before);
    expect(await erasureAudits(person.id)).toEqual([]);
  });

  it('is refused while a request is open or in progress, at any structure, with the reasons; allowed once they are closed', async () => {
    const person = await createPerson({ usageLastName: 'Tanguy', firstNames: 'Soazig' });
    await followPerson(t.dataSource, t.tenant.id, person.id, structureB);
    await logContact(receptionA, person.id, [14]);
    await logContact(agentB, person.id, [5, 8]);
    const [ofA] = await requestsOf(person.id);
    await setStatus(receptionA, ofA.id, 'in_progress');
    const before = await personRow(person.id);

    const blocked = await erase(adminA, person.id);
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({
      code: 'ERASURE_BLOCKED',
      message: expect.stringContaining('3 demandes sont encore ouvertes ou en cours'),
      details: [
        {
          field: 'open_requests',
          messages: [
            'Votre structure : demande « Hébergement / logement » (Impayés de loyer), statut « En cours ».',
            'CCAS B (test effacement) : 2 demandes ouvertes ou en cours — seule cette structure peut les clore.',
          ],
        },
      ],
    });
    expect(blocked.body.message).toContain('accompagnement est en cours');
    // Refused: nothing was written.
    expect(await personRow(person.id)).toEqual(before);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM contact WHERE person_id = $1 AND summary IS NOT NULL`, [person.id])).toEqual([{ n: 2 }]);
    expect(await erasureAudits(person.id)).toEqual([]);

    // A's request closed: B's still hold the file.
    await setStatus(receptionA, ofA.id, 'resolved', 'Logement trouvé.');
    const stillBlocked = await erase(adminA, person.id);
    expect(stillBlocked.status).toBe(409);
    expect(stillBlocked.body.details).toEqual([
      { field: 'open_requests', messages: ['CCAS B (test effacement) : 2 demandes ouvertes ou en cours — seule cette structure peut les clore.'] },
    ]);
    expect(stillBlocked.body.message).toContain('2 demandes');

    await closeAll(person.id);
    const done = await erase(adminA, person.id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ personId: person.id, basis: 'person_request', personsAnonymized: 1 });
    expect((await personRow(person.id)).usage_last_name).toBe(ANONYMIZED_NAME);
    expect(await erasureAudits(person.id)).toEqual([expect.objectContaining({ reason: 'person_request', user_id: adminA.userId })]);
  });

  it('is refused while an orientation is under way; allowed once its loop is closed', async () => {
    const person = await createPerson({ usageLastName: 'Le Bihan', firstNames: 'Maëlle' });
    const [referral]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, to_structure_id, bouquet)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, 14) RETURNING id`,
      [t.tenant.id, person.id, structureA, structureB],
    );
    const blocked = await erase(adminA, person.id);
    expect(blocked.status).toBe(409);
    expect(blocked.body).toMatchObject({
      code: 'ERASURE_BLOCKED',
      message: expect.stringContaining('1 orientation est encore en cours'),
      details: [{ field: 'open_referrals', messages: [expect.stringContaining('« Hébergement / logement »')] }],
    });
    expect(blocked.body.details[0].messages[0]).toContain('statut « Envoyée »');
    await t.dataSource.query(`UPDATE referral SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [referral.id]);
    expect((await erase(adminA, person.id)).status).toBe(200);
  });

  it('requires the basis from the vocabulary and the typed confirmation: 400 otherwise, and nothing erased', async () => {
    const person = await createPerson({ usageLastName: 'Riou', firstNames: 'Erwan' });
    const before = await personRow(person.id);
    const cases: [object, string][] = [
      [{ basis: 'person_request', confirmation: 'effacer' }, 'confirmation'],
      [{ basis: 'person_request', confirmation: 'EFFACER ' }, 'confirmation'],
      [{ basis: 'person_request' }, 'confirmation'],
      [{ basis: 'because', confirmation: 'EFFACER' }, 'basis'],
      [{ confirmation: 'EFFACER' }, 'basis'],
      [{ basis: 'person_request', confirmation: 'EFFACER', note: 'Mme Riou' }, 'note'],
    ];
    for (const [body, field] of cases) {
      const res = await erase(adminA, person.id, body);
      expect({ status: res.status, code: res.body.code, fields: (res.body.details ?? []).map((d: { field: string }) => d.field) }).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: [field],
      });
    }
    const wrong = await erase(adminA, person.id, { basis: 'person_request', confirmation: 'oui' });
    expect(wrong.body.details[0].messages).toEqual(['Pour confirmer l’effacement, saisissez le mot EFFACER en majuscules.']);
    expect(await personRow(person.id)).toEqual(before);
    expect(await erasureAudits(person.id)).toEqual([]);
  });
});
