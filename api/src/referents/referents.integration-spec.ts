import {
  CONSENT_NOTICE_VERSION,
  type CaseloadEntry,
  type Contact,
  type DataCategory,
  type Handoff,
  type NetworkSearchHit,
  type PersonReferents,
  type Professional,
  type TimelineEntry,
} from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { followPerson, insertPerson } from '../contacts/testing/reception-fixtures';
import { ANONYMIZED_TEXT } from '../retention/attached-data-erasers';
import { PersonAnonymizer } from '../retention/person-anonymizer';
import { ReferentsEraser } from './referents.eraser';

type Agent = TestSession & { userId: string; membershipId: string; structureId: string | null };

const CRITERIA = ['person_preference', 'relevance'];
const NOTE = 'Note-De-Transmission-Confidentielle';
const CRITERIA_NOTE = 'Precision-Criteres-Confidentielle';
const DECLINE = 'Motif-De-Refus-Confidentiel';

describe('référents and handoffs (integration)', () => {
  let t: TestApp;
  let structureA: string;
  let structureB: string;
  let structureC: string;
  /** France Services A: a reception agent, a colleague social worker, the admin. */
  let agentA: Agent;
  let colleagueA: Agent;
  /** Département B: two social workers. */
  let workerB: Agent;
  let colleagueB: Agent;
  /** CCAS C: knows nothing of the persons. */
  let agentC: Agent;
  let coordinatorB: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test référents)', type: 'france_services' })).id;
    structureB = (await t.createStructure({ name: 'Département B (test référents)', type: 'departmental_social_service' })).id;
    structureC = (await t.createStructure({ name: 'CCAS C (test référents)' })).id;
    await t.dataSource.query(`UPDATE structure SET phone = '0492000000', email = 'action-sociale@b.test' WHERE id = $1`, [structureB]);
    agentA = await t.signIn('reception_agent', structureA);
    colleagueA = await t.signIn('social_worker', structureA);
    workerB = await t.signIn('social_worker', structureB);
    colleagueB = await t.signIn('social_worker', structureB);
    agentC = await t.signIn('reception_agent', structureC);
    coordinatorB = await t.signIn('coordinator', structureB);
    const names: [Agent, string, string][] = [
      [agentA, 'Camille', 'Arnaud'],
      [colleagueA, 'Hugo', 'Blanc'],
      [workerB, 'Samia', 'Benali'],
      [colleagueB, 'Louis', 'Garnier'],
      [agentC, 'Inès', 'Roux'],
      [coordinatorB, 'Jean', 'Martel'],
    ];
    for (const [agent, first, last] of names) {
      await t.dataSource.query(`UPDATE app_user SET first_name = $2, last_name = $3 WHERE id = $1`, [agent.userId, first, last]);
    }
  });
  afterAll(() => t.close());

  const personOfA = () => insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA, firstNames: 'Maëlle' });
  const designate = (agent: Agent, personId: string, body: object) =>
    agent.post(`/api/persons/${personId}/referent`, { criteria: CRITERIA, chosenWithPerson: true, ...body });
  const referents = async (agent: Agent, personId: string) => {
    const res = await agent.get(`/api/persons/${personId}/referents`);
    expect(res.status).toBe(200);
    return res.body as PersonReferents;
  };
  const activeCount = async (personId: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM referent WHERE person_id = $1 AND ended_at IS NULL`, [personId]))[0].n as number;
  const consent = (personId: string, categories: DataCategory[], recipient = structureB) =>
    agentA.post(`/api/persons/${personId}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'coordinated_follow_up',
      recipientKind: 'structure',
      recipientStructureId: recipient,
      categories,
      collectionMethod: 'oral',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
  const propose = (from: Agent, personId: string, to: Agent, body: object = {}) =>
    from.post('/api/handoffs', { clientRequestId: randomUUID(), personId, toUserId: to.userId, note: NOTE, proposeReferent: true, ...body });
  const timeline = async (agent: Agent, personId: string) => (await agent.get(`/api/persons/${personId}/timeline`)).body as TimelineEntry[];

  describe('one active référent', () => {
    it('keeps the history: designating twice ends the first term (replaced), one active', async () => {
      const personId = await personOfA();
      const first = await designate(agentA, personId, { userId: colleagueA.userId, criteriaNote: `  ${CRITERIA_NOTE}  ` });
      expect(first.status).toBe(200);
      expect((first.body as PersonReferents).current).toMatchObject({
        user: { id: colleagueA.userId, name: 'Hugo Blanc' },
        structure: { id: structureA, name: 'France Services A (test référents)' },
        criteria: CRITERIA,
        chosenWithPerson: true,
        criteriaNote: CRITERIA_NOTE,
        designatedBy: 'Camille Arnaud',
        endedAt: null,
      });
      // The reception agent designates themself.
      const second = await designate(agentA, personId, { userId: agentA.userId, criteria: ['feasibility'], chosenWithPerson: false });
      expect(second.status).toBe(200);
      const list = await referents(agentA, personId);
      expect(list.shared).toBe(true);
      expect(list.current).toMatchObject({ user: { id: agentA.userId }, criteria: ['feasibility'], chosenWithPerson: false, criteriaNote: null });
      expect(list.history).toHaveLength(1);
      expect(list.history[0]).toMatchObject({ user: { id: colleagueA.userId }, endedReason: 'replaced' });
      expect(list.history[0].endedAt).not.toBeNull();
      expect(await activeCount(personId)).toBe(1);

      // The same professional again: 409, nothing changes.
      const again = await designate(agentA, personId, { userId: agentA.userId });
      expect(again.status).toBe(409);
      expect(await activeCount(personId)).toBe(1);

      // The partial unique index refuses a second active row, whatever the caller.
      await expect(
        t.dataSource.query(
          `INSERT INTO referent (tenant_id, person_id, user_id, structure_id, criteria, chosen_with_person) VALUES ($1, $2, $3, $4, '{relevance}', true)`,
          [t.tenant.id, personId, colleagueA.userId, structureA],
        ),
      ).rejects.toMatchObject({ driverError: { code: '23505', constraint: 'referent_one_active_uq' } });
      await expect(
        t.dataSource.query(
          `INSERT INTO referent (tenant_id, person_id, user_id, structure_id, criteria, chosen_with_person) VALUES ($1, $2, $3, $4, '{}', true)`,
          [t.tenant.id, await personOfA(), colleagueA.userId, structureA],
        ),
      ).rejects.toBeInstanceOf(QueryFailedError);

      const audit: { action: string; reason: string }[] = await t.dataSource.query(
        `SELECT action, reason FROM audit_event WHERE entity_id = $1 AND action LIKE 'referent.%' ORDER BY id`,
        [personId],
      );
      expect(audit.map((a) => a.action)).toEqual(['referent.designate', 'referent.designate']);
      expect(JSON.stringify(audit)).not.toContain(CRITERIA_NOTE);
    });

    it('concurrent designations: one 409 or both serialised, never two active référents', async () => {
      for (let round = 0; round < 4; round++) {
        const personId = await personOfA();
        if (round % 2 === 1) expect((await designate(agentA, personId, { userId: agentA.userId })).status).toBe(200);
        const answers = await Promise.all([
          designate(agentA, personId, { userId: colleagueA.userId }),
          designate(colleagueA, personId, { userId: round % 2 === 1 ? colleagueA.userId : agentA.userId }),
        ]);
        for (const answer of answers) expect([200, 409]).toContain(answer.status);
        expect(answers.some((a) => a.status === 200)).toBe(true);
        for (const conflict of answers.filter((a) => a.status === 409)) expect(conflict.body.code).toBe('CONFLICT');
        expect(await activeCount(personId)).toBe(1);
      }
    });
  });

  describe('designation rules', () => {
    it('validates the criteria and the professional', async () => {
      const personId = await personOfA();
      const invalid = async (body: object, field: string) => {
        const res = await designate(agentA, personId, body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      };
      await invalid({ userId: agentA.userId, criteria: [] }, 'criteria');
      await invalid({ userId: agentA.userId, criteria: ['relevance', 'relevance'] }, 'criteria');
      await invalid({ userId: agentA.userId, criteria: ['seniority'] }, 'criteria');
      await invalid({ userId: agentA.userId, chosenWithPerson: 'yes' }, 'chosenWithPerson');
      await invalid({ userId: agentA.userId, criteriaNote: 'x'.repeat(1001) }, 'criteriaNote');
      await invalid({ userId: 'not-a-uuid' }, 'userId');
      // B does not follow the person: its worker cannot be référent; nor a coordinator; nor a stranger.
      await invalid({ userId: workerB.userId }, 'userId');
      await invalid({ userId: coordinatorB.userId }, 'userId');
      await invalid({ userId: randomUUID() }, 'userId');
      // A deactivated agent neither.
      const former = await t.createAgent({ role: 'social_worker', structureId: structureA });
      await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE id = $1`, [former.membership.id]);
      await invalid({ userId: former.user.id }, 'userId');
      expect(await activeCount(personId)).toBe(0);
    });

    it('only a structure that follows the person designates; only the référent’s structure ends the term', async () => {
      const personId = await personOfA();
      expect((await designate(agentC, personId, { userId: agentC.userId })).status).toBe(404);
      expect((await designate(coordinatorB, personId, { userId: agentA.userId })).status).toBe(403);
      expect((await consent(personId, ['identity_contact'])).status).toBe(201);
      // Consent lets B read, not change the file.
      expect((await designate(workerB, personId, { userId: workerB.userId })).status).toBe(403);

      // Once B follows the person (it received them), B may designate its worker, and A may too.
      await followPerson(t.dataSource, t.tenant.id, personId, structureB);
      expect((await designate(agentA, personId, { userId: workerB.userId })).status).toBe(200);
      expect((await referents(agentA, personId)).current).toMatchObject({ user: { id: workerB.userId }, structure: { id: structureB } });

      expect((await agentA.post(`/api/persons/${personId}/referent/end`, { reason: 'ended' })).status).toBe(403);
      expect((await colleagueB.post(`/api/persons/${personId}/referent/end`, { reason: 'replaced' })).status).toBe(400);
      const ended = await colleagueB.post(`/api/persons/${personId}/referent/end`, { reason: 'person_request' });
      expect(ended.status).toBe(200);
      expect((ended.body as PersonReferents).current).toBeNull();
      expect((ended.body as PersonReferents).history[0]).toMatchObject({ endedReason: 'person_request' });
      expect((await colleagueB.post(`/api/persons/${personId}/referent/end`, { reason: 'ended' })).status).toBe(409);
      expect((await agentC.get(`/api/persons/${personId}/referents`)).status).toBe(404);
      expect((await coordinatorB.get(`/api/persons/${personId}/referents`)).status).toBe(403);
    });

    it('refuses to designate on an anonymised file', async () => {
      const personId = await personOfA();
      await t.dataSource.query(
        `UPDATE person SET usage_last_name = 'Anonymisé', first_names = NULL, anonymized_at = now() WHERE id = $1`,
        [personId],
      );
      const res = await designate(agentA, personId, { userId: agentA.userId });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('PERSON_ANONYMIZED');
    });
  });

  describe('who sees the référent', () => {
    it('a partner under consent sees the référent’s name and contact only when identity is shared; the criteria note stays with the référent’s structure', async () => {
      const personId = await personOfA();
      await followPerson(t.dataSource, t.tenant.id, personId, structureB);
      expect((await designate(workerB, personId, { userId: workerB.userId, criteriaNote: CRITERIA_NOTE })).status).toBe(200);
      // The référent's structure reads the note; A (which follows) sees the référent, not the note (the key is absent).
      expect((await referents(colleagueB, personId)).current?.criteriaNote).toBe(CRITERIA_NOTE);
      const seenByA = (await referents(agentA, personId)).current;
      expect(seenByA).toMatchObject({ user: { name: 'Samia Benali' }, structure: { name: 'Département B (test référents)', phone: '0492000000', email: 'action-sociale@b.test' } });
      expect(seenByA && 'criteriaNote' in seenByA).toBe(false);

      // C under a consent without identity: nothing of the référents (nor on the timeline).
      const withoutIdentity = await agentA.post(`/api/persons/${personId}/consents`, {
        clientRequestId: randomUUID(),
        purpose: 'coordinated_follow_up',
        recipientKind: 'structure',
        recipientStructureId: structureC,
        categories: ['needs_requests'],
        collectionMethod: 'oral',
        noticeVersion: CONSENT_NOTICE_VERSION,
      });
      expect(withoutIdentity.status).toBe(201);
      expect(await referents(agentC, personId)).toEqual({ shared: false, current: null, history: [] });
      const hidden = await timeline(agentC, personId);
      expect(hidden.some((e) => e.kind.startsWith('referent_') || e.kind.startsWith('handoff_'))).toBe(false);
      expect(JSON.stringify(hidden)).not.toContain('Samia');

      // With identity shared: the current référent and its structure's contact; never the note.
      expect((await consent(personId, ['identity_contact'], structureC)).status).toBe(201);
      const shared = await referents(agentC, personId);
      expect(shared.current).toMatchObject({ user: { name: 'Samia Benali' }, structure: { phone: '0492000000', email: 'action-sociale@b.test' } });
      expect(JSON.stringify(shared)).not.toContain(CRITERIA_NOTE);
      const visible = await timeline(agentC, personId);
      expect(visible.filter((e) => e.kind === 'referent_designated')).toHaveLength(1);
      expect(JSON.stringify(visible)).not.toContain(CRITERIA_NOTE);
      // The timeline of the référent's structure carries the note.
      expect(JSON.stringify(await timeline(colleagueB, personId))).toContain(CRITERIA_NOTE);

      const audit = await t.dataSource.query(`SELECT reason FROM audit_event WHERE action = 'person.referents.read' AND user_id = $1 ORDER BY id`, [agentC.userId]);
      expect(audit).toEqual([{ reason: 'consent' }, { reason: 'consent' }]);
    });

    it('the network search gives the current référent’s contact', async () => {
      const lastName = `Reseau${randomUUID().replace(/[^a-f]/g, '').slice(0, 8)}`;
      const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA, usageLastName: lastName, firstNames: 'Noé' });
      const network = await agentA.post(`/api/persons/${personId}/consents`, {
        clientRequestId: randomUUID(),
        purpose: 'network_visibility',
        recipientKind: 'network',
        categories: [],
        collectionMethod: 'oral',
        noticeVersion: CONSENT_NOTICE_VERSION,
      });
      expect(network.status).toBe(201);
      const search = async () => ((await agentC.get(`/api/persons/network-search?q=${encodeURIComponent(`${lastName} Noé`)}`)).body as NetworkSearchHit[])[0];
      expect((await search()).referent).toBeNull();
      expect((await designate(agentA, personId, { userId: colleagueA.userId, criteriaNote: CRITERIA_NOTE })).status).toBe(200);
      const hit = await search();
      expect(hit.referent).toEqual({ name: 'Hugo Blanc', structureName: 'France Services A (test référents)', phone: null, email: null });
      expect(JSON.stringify(hit)).not.toContain(CRITERIA_NOTE);
    });
  });

  describe('handoffs', () => {
    it('to another structure: consent required; then proposed, read by the sender and the receiver only, accepted with the référent switch', async () => {
      const personId = await personOfA();
      expect((await designate(agentA, personId, { userId: agentA.userId })).status).toBe(200);

      const noConsent = await propose(agentA, personId, workerB);
      expect(noConsent.status).toBe(409);
      expect(noConsent.body).toMatchObject({ code: 'CONSENT_REQUIRED', consentRequired: { structureId: structureB, missingCategories: [] } });
      expect(noConsent.body.message).toContain('Département B (test référents)');

      expect((await consent(personId, ['needs_requests'])).status).toBe(201);
      const key = randomUUID();
      const proposed = await propose(agentA, personId, workerB, { clientRequestId: key });
      expect(proposed.status).toBe(201);
      const handoff = proposed.body as Handoff;
      expect(handoff).toMatchObject({
        personId,
        from: { structureId: structureA, userName: 'Camille Arnaud' },
        to: { structureId: structureB, userId: workerB.userId, userName: 'Samia Benali' },
        note: NOTE,
        proposeReferent: true,
        status: 'proposed',
        answeredAt: null,
      });
      expect(handoff.personName).toContain('Maëlle');
      // Idempotent: the same key answers the same handoff.
      const replay = await propose(agentA, personId, workerB, { clientRequestId: key });
      expect(replay.status).toBe(201);
      expect(replay.body.id).toBe(handoff.id);
      // One handoff waiting per person.
      const second = await propose(colleagueA, personId, colleagueB);
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('CONFLICT');
      expect(second.body.message).toContain('attend déjà une réponse');

      // The partial unique index backs it, whatever the caller.
      await expect(
        t.dataSource.query(
          `INSERT INTO handoff (tenant_id, client_request_id, person_id, from_structure_id, to_structure_id, to_user_id, note)
           VALUES ($1, $2, $3, $4, $4, $5, 'x')`,
          [t.tenant.id, randomUUID(), personId, structureA, colleagueA.userId],
        ),
      ).rejects.toMatchObject({ driverError: { code: '23505', constraint: 'handoff_one_proposed_uq' } });

      // Read by the sender's structure and the receiver; 404 for anyone else, even the receiver's colleague.
      expect((await colleagueA.get(`/api/handoffs/${handoff.id}`)).body.note).toBe(NOTE);
      const received = await workerB.get(`/api/handoffs/${handoff.id}`);
      expect(received.status).toBe(200);
      expect(received.body.note).toBe(NOTE);
      // The receiver sees the person's name only when identity is shared with its structure.
      expect(received.body.personName).toBeNull();
      expect((await colleagueB.get(`/api/handoffs/${handoff.id}`)).status).toBe(404);
      expect((await agentC.get(`/api/handoffs/${handoff.id}`)).status).toBe(404);
      expect(((await workerB.get('/api/handoffs/inbox')).body as Handoff[]).map((h) => h.id)).toContain(handoff.id);
      expect(((await colleagueB.get('/api/handoffs/inbox')).body as Handoff[]).map((h) => h.id)).not.toContain(handoff.id);
      expect(((await colleagueA.get('/api/handoffs/sent')).body as Handoff[]).map((h) => h.id)).toContain(handoff.id);
      // The timeline shows the handoff, never its note.
      const proposedOnTimeline = await timeline(agentA, personId);
      expect(proposedOnTimeline.find((e) => e.kind === 'handoff_proposed')).toMatchObject({ handoff: { id: handoff.id, status: 'proposed' } });
      expect(JSON.stringify(proposedOnTimeline)).not.toContain(NOTE);

      // Only the receiver answers.
      expect((await agentA.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'accept' })).status).toBe(403);
      expect((await colleagueB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'accept' })).status).toBe(404);
      // Becoming référent needs the criteria.
      const noCriteria = await workerB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'accept', becomeReferent: true });
      expect(noCriteria.status).toBe(400);
      expect(noCriteria.body.details[0].field).toBe('criteria');

      const accepted = await workerB.post(`/api/handoffs/${handoff.id}/answer`, {
        decision: 'accept',
        becomeReferent: true,
        criteria: ['relevance', 'feasibility'],
        chosenWithPerson: true,
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', note: NOTE });
      // B follows the person now (reason: handoff), so it sees the file and the name.
      expect(await t.dataSource.query(`SELECT reason FROM person_follow WHERE person_id = $1 AND structure_id = $2`, [personId, structureB])).toEqual([
        { reason: 'handoff' },
      ]);
      expect((await workerB.get(`/api/persons/${personId}`)).status).toBe(200);
      expect((await workerB.get(`/api/handoffs/${handoff.id}`)).body.personName).toContain('Maëlle');
      const after = await referents(workerB, personId);
      expect(after.current).toMatchObject({ user: { id: workerB.userId }, structure: { id: structureB }, criteria: ['relevance', 'feasibility'], designatedBy: 'Samia Benali' });
      expect(after.history[0]).toMatchObject({ user: { id: agentA.userId }, endedReason: 'handoff' });
      expect(await t.dataSource.query(`SELECT handoff_id FROM referent WHERE person_id = $1 AND ended_at IS NULL`, [personId])).toEqual([{ handoff_id: handoff.id }]);
      expect(await activeCount(personId)).toBe(1);

      // Answered: no second answer, no cancellation (409).
      const twice = await workerB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'decline', declineReason: DECLINE });
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('INVALID_TRANSITION');
      expect((await agentA.post(`/api/handoffs/${handoff.id}/cancel`)).status).toBe(409);
      const kinds = (await timeline(agentA, personId)).map((e) => e.kind);
      expect(kinds.slice(0, 3)).toEqual(['referent_designated', 'referent_ended', 'handoff_answered']);

      const audit: { action: string; reason: string }[] = await t.dataSource.query(
        `SELECT action, reason FROM audit_event WHERE entity_id = $1 AND (action LIKE 'handoff.%' OR action LIKE 'referent.%') ORDER BY id`,
        [personId],
      );
      expect(audit.map((a) => a.action)).toEqual(['referent.designate', 'handoff.propose', 'handoff.read', 'handoff.read', 'referent.designate', 'handoff.accept', 'handoff.read']);
      expect(JSON.stringify(audit)).not.toContain(NOTE);
    });

    it('declined with a reason, read by the sender; cancelled by the sender only; state machine 409', async () => {
      const personId = await personOfA();
      expect((await consent(personId, ['identity_contact'])).status).toBe(201);
      const { body: handoff } = (await propose(agentA, personId, workerB, { proposeReferent: false })) as { body: Handoff };
      expect(handoff.status).toBe('proposed');
      const blank = await workerB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'decline', declineReason: '   ' });
      expect(blank.status).toBe(400);
      expect(blank.body.details[0].field).toBe('declineReason');
      expect((await workerB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'maybe' })).status).toBe(400);
      expect((await workerB.post(`/api/handoffs/${handoff.id}/cancel`)).status).toBe(403);
      const declined = await workerB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'decline', declineReason: DECLINE });
      expect(declined.status).toBe(200);
      expect(declined.body).toMatchObject({ status: 'declined', declineReason: DECLINE, personName: expect.stringContaining('Maëlle') });
      expect((await agentA.get(`/api/handoffs/${handoff.id}`)).body.declineReason).toBe(DECLINE);
      // Declining does not make B follow the person.
      expect(await t.dataSource.query(`SELECT 1 FROM person_follow WHERE person_id = $1 AND structure_id = $2`, [personId, structureB])).toEqual([]);
      expect((await workerB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'accept' })).status).toBe(409);
      expect(JSON.stringify(await timeline(agentA, personId))).not.toContain(DECLINE);

      // A new handoff can then be proposed; the sender cancels it.
      const next = (await propose(agentA, personId, workerB)).body as Handoff;
      expect(next.status).toBe('proposed');
      const cancelled = await colleagueA.post(`/api/handoffs/${next.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect((await colleagueA.post(`/api/handoffs/${next.id}/cancel`)).status).toBe(409);
      expect((await workerB.post(`/api/handoffs/${next.id}/answer`, { decision: 'accept' })).status).toBe(409);

      // The trigger refuses a transition out of an answered status, whatever the caller.
      await expect(t.dataSource.query(`UPDATE handoff SET status = 'proposed', answered_at = NULL WHERE id = $1`, [handoff.id])).rejects.toMatchObject({
        driverError: { code: '23514', constraint: 'handoff_status_transition' },
      });
    });

    it('two concurrent proposals for one person: one proposed, the other 409', async () => {
      for (let round = 0; round < 3; round++) {
        const personId = await personOfA();
        const answers = await Promise.all([propose(agentA, personId, colleagueA), propose(colleagueA, personId, agentA)]);
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
        expect(answers.find((a) => a.status === 409)?.body.message).toContain('attend déjà une réponse');
      }
    });

    it('within the structure needs no consent; never to oneself, a coordinator or an unknown user', async () => {
      const personId = await personOfA();
      expect((await propose(agentA, personId, agentA)).status).toBe(400);
      expect((await propose(agentA, personId, coordinatorB)).status).toBe(400);
      expect((await agentA.post('/api/handoffs', { clientRequestId: randomUUID(), personId, toUserId: randomUUID(), note: NOTE })).status).toBe(400);
      expect((await propose(agentA, personId, colleagueA, { note: '  ' })).status).toBe(400);
      expect((await propose(agentC, personId, agentC)).status).toBe(404);
      const res = await propose(agentA, personId, colleagueA);
      expect(res.status).toBe(201);
      const accepted = await colleagueA.post(`/api/handoffs/${res.body.id}/answer`, { decision: 'accept', becomeReferent: true, criteria: ['relevance'] });
      expect(accepted.status).toBe(200);
      expect((await referents(agentA, personId)).current).toMatchObject({ user: { id: colleagueA.userId }, chosenWithPerson: false });
    });

    it('a withdrawn consent hides the note from the receiver at once, and accepting needs it again', async () => {
      const personId = await personOfA();
      const given = await consent(personId, ['needs_requests']);
      const { body: handoff } = (await propose(agentA, personId, workerB)) as { body: Handoff };
      expect((await agentA.post(`/api/persons/${personId}/consents/${given.body.id}/withdraw`)).status).toBe(200);
      const seen = (await workerB.get(`/api/handoffs/${handoff.id}`)).body as Handoff;
      expect('note' in seen).toBe(false);
      const inInbox = ((await workerB.get('/api/handoffs/inbox')).body as Handoff[]).find((h) => h.id === handoff.id);
      expect(inInbox && 'note' in inInbox).toBe(false);
      const accept = await workerB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'accept' });
      expect(accept.status).toBe(409);
      expect(accept.body.code).toBe('CONSENT_REQUIRED');
      expect((await agentA.get(`/api/handoffs/${handoff.id}`)).body.note).toBe(NOTE);
    });
  });

  describe('caseload', () => {
    it('lists the persons I am référent for, with the open requests and orientations I may see', async () => {
      const personId = await personOfA();
      const contact = await agentA.post('/api/contacts', {
        clientRequestId: randomUUID(),
        personId,
        channel: 'in_person',
        needs: [{ bouquet: 5 }, { bouquet: 14 }],
        answer: 'referral_needed',
        openRequestsForNeeds: [0, 1],
      });
      expect(contact.status).toBe(201);
      const opened: { id: string; bouquet: number }[] = await t.dataSource.query(`SELECT id, bouquet FROM request WHERE id = ANY ($1::uuid[])`, [
        (contact.body as Contact).requestIds,
      ]);
      const rsa = opened.find((r) => r.bouquet === 5)?.id;
      const housing = opened.find((r) => r.bouquet === 14)?.id;
      expect((await agentA.post(`/api/requests/${housing}/status`, { status: 'resolved' })).status).toBe(200);
      expect((await consent(personId, ['identity_contact'])).status).toBe(201);
      const { body: handoff } = (await propose(agentA, personId, workerB)) as { body: Handoff };
      expect((await workerB.post(`/api/handoffs/${handoff.id}/answer`, { decision: 'accept', becomeReferent: true, criteria: ['relevance'] })).status).toBe(200);
      const insertReferral = (from: string, to: string, status: string, extra = '') =>
        t.dataSource.query(
          `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, to_structure_id, bouquet, status${extra ? ', answered_at, outcome, closed_at' : ''})
           VALUES ($1, $2, $3, $4, $5, 14, $6${extra}) RETURNING id`,
          [t.tenant.id, randomUUID(), personId, from, to, status],
        );
      const [sent] = await insertReferral(structureB, structureC, 'sent');
      await insertReferral(structureB, structureC, 'closed', `, now(), 'done', now()`);
      const [others] = await insertReferral(structureA, structureC, 'sent');

      const caseload = async (agent: Agent) => {
        const res = await agent.get('/api/caseload');
        expect(res.status).toBe(200);
        return res.body as CaseloadEntry[];
      };
      const [entry] = (await caseload(workerB)).filter((e) => e.personId === personId);
      expect(entry).toMatchObject({ personId, personName: expect.stringContaining('Maëlle'), openRequests: [], lastContactAt: null });
      expect(entry.openReferrals).toEqual([{ id: sent.id, bouquet: 14, status: 'sent', toStructureName: 'CCAS C (test référents)', direction: 'sent' }]);
      expect(JSON.stringify(entry)).not.toContain(others.id);
      // A's request and contact are A's: B sees them once the person shares her needs with B.
      expect((await consent(personId, ['needs_requests'])).status).toBe(201);
      const [shared] = (await caseload(workerB)).filter((e) => e.personId === personId);
      expect(shared.openRequests).toEqual([{ id: rsa, bouquet: 5, status: 'open' }]);
      expect(shared.lastContactAt).toBe((contact.body as Contact).occurredAt);
      // Not in the colleague's caseload, nor in A's reception agent's any more.
      expect((await caseload(colleagueB)).some((e) => e.personId === personId)).toBe(false);
      expect((await caseload(agentA)).some((e) => e.personId === personId)).toBe(false);
      expect((await coordinatorB.get('/api/caseload')).status).toBe(403);

      // The driving query uses a partial index of active référents (by user; on a table this small the
      // planner may as well take the continuity alerts' one by structure).
      const plan: { 'QUERY PLAN': string }[] = await t.dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL enable_seqscan = off`);
        return manager.query(`EXPLAIN SELECT person_id FROM referent WHERE user_id = $1 AND structure_id = $2 AND ended_at IS NULL`, [workerB.userId, structureB]);
      });
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(/referent_(user|structure)_active_idx/);
    });
  });

  describe('professionals', () => {
    it('lists active professionals (name, role, structure only), by name, or those of the structures that follow the person', async () => {
      const res = await agentA.get(`/api/professionals?q=${encodeURIComponent('benali')}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([{ userId: workerB.userId, name: 'Samia Benali', role: 'social_worker', structureId: structureB, structureName: 'Département B (test référents)' }]);
      const byStructure = (await agentA.get(`/api/professionals?q=${encodeURIComponent('departement b')}`)).body as Professional[];
      expect(byStructure.map((p) => p.userId).sort()).toEqual([workerB.userId, colleagueB.userId].sort());
      const all = (await agentA.get('/api/professionals?limit=100')).body as Professional[];
      expect(all.some((p) => p.userId === coordinatorB.userId)).toBe(false);

      const personId = await personOfA();
      const following = (await agentA.get(`/api/professionals?personId=${personId}`)).body as Professional[];
      expect(new Set(following.map((p) => p.structureId))).toEqual(new Set([structureA]));
      expect((await agentC.get(`/api/professionals?personId=${personId}`)).status).toBe(404);
      expect((await coordinatorB.get('/api/professionals')).status).toBe(403);
    });
  });

  describe('retention', () => {
    it('the eraser clears the notes, ends the active référent and cancels a waiting handoff', async () => {
      const personId = await personOfA();
      expect((await designate(agentA, personId, { userId: colleagueA.userId, criteriaNote: CRITERIA_NOTE })).status).toBe(200);
      expect((await designate(agentA, personId, { userId: agentA.userId, criteriaNote: CRITERIA_NOTE })).status).toBe(200);
      const { body: declined } = (await propose(agentA, personId, colleagueA)) as { body: Handoff };
      expect((await colleagueA.post(`/api/handoffs/${declined.id}/answer`, { decision: 'decline', declineReason: DECLINE })).status).toBe(200);
      const { body: waiting } = (await propose(agentA, personId, colleagueA)) as { body: Handoff };

      const anonymizer = t.app.get(PersonAnonymizer);
      const now = new Date();
      const result = await t.dataSource.transaction((manager) => anonymizer.anonymize(manager, { tenantId: t.tenant.id, personIds: [personId], now, cause: 'retention' }));
      // Two référent rows (notes, one also ended) and two handoffs.
      expect(result.erased['referents']).toBe(4);
      const rows = await t.dataSource.query(`SELECT criteria_note, ended_at IS NOT NULL AS ended, ended_reason FROM referent WHERE person_id = $1 ORDER BY started_at, ended_reason`, [personId]);
      expect(rows).toEqual(
        expect.arrayContaining([
          { criteria_note: null, ended: true, ended_reason: 'replaced' },
          { criteria_note: null, ended: true, ended_reason: 'retention' },
        ]),
      );
      const handoffs = await t.dataSource.query(`SELECT id, note, decline_reason, status FROM handoff WHERE person_id = $1`, [personId]);
      expect(handoffs).toEqual(
        expect.arrayContaining([
          { id: declined.id, note: ANONYMIZED_TEXT, decline_reason: ANONYMIZED_TEXT, status: 'declined' },
          { id: waiting.id, note: ANONYMIZED_TEXT, decline_reason: null, status: 'cancelled' },
        ]),
      );
      // Idempotent.
      const eraser = t.app.get(ReferentsEraser);
      const again = await t.dataSource.transaction((manager) => eraser.erase({ manager, tenantId: t.tenant.id, personIds: [personId], now, cause: 'retention' }));
      expect(again).toBe(0);
    });
  });
});
