import { CONSENT_NOTICE_VERSION, type Contact, type PersonRequest } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { followPerson, insertPerson } from '../contacts/testing/reception-fixtures';
import * as requestStatus from './request-status';

type Agent = TestSession & { userId: string };

describe('requests (integration)', () => {
  let t: TestApp;
  let agentA: Agent;
  let agentB: Agent;
  let structureA: string;
  let structureB: string;

  beforeAll(async () => {
    t = await createTestApp();
    structureA = (await t.createStructure({ name: 'France Services A (test demandes)' })).id;
    structureB = (await t.createStructure({ name: 'CCAS B (test demandes)' })).id;
    agentA = await t.signIn('reception_agent', structureA);
    agentB = await t.signIn('social_worker', structureB);
  });
  afterAll(() => t.close());

  /** A person followed by A, with one open request per bouquet given. */
  async function personWithRequests(bouquets: number[] = [5]): Promise<{ personId: string; requestIds: string[]; contactId: string }> {
    const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: structureA });
    const res = await agentA.post('/api/contacts', {
      clientRequestId: randomUUID(),
      personId,
      channel: 'in_person',
      needs: bouquets.map((bouquet) => ({ bouquet, subNeed: null, detail: `Besoin ${bouquet}` })),
      answer: 'referral_needed',
      openRequestsForNeeds: bouquets.map((_, i) => i),
    });
    expect(res.status).toBe(201);
    const contact = res.body as Contact;
    return { personId, requestIds: contact.requestIds, contactId: contact.id };
  }
  const row = async (id: string) =>
    (await t.dataSource.query(`SELECT status, closed_at, closed_reason, status_changed_by_user_id FROM request WHERE id = $1`, [id]))[0];

  it('follows the legal chain ouverte → en cours → résolue, setting closed_at and who changed it', async () => {
    const { requestIds, contactId, personId } = await personWithRequests();
    const [id] = requestIds;
    const inProgress = await agentA.post(`/api/requests/${id}/status`, { status: 'in_progress', reason: 'ignoré tant que la demande reste ouverte' });
    expect(inProgress.status).toBe(200);
    expect(inProgress.body).toMatchObject({ id, personId, status: 'in_progress', closedAt: null, closedReason: null, contactIds: [contactId] });
    expect(await row(id)).toMatchObject({ status: 'in_progress', closed_at: null, status_changed_by_user_id: agentA.userId });

    const resolved = await agentA.post(`/api/requests/${id}/status`, { status: 'resolved', reason: '  Droit ouvert.  ' });
    expect(resolved.status).toBe(200);
    const body = resolved.body as PersonRequest;
    expect(body).toMatchObject({ status: 'resolved', closedReason: 'Droit ouvert.', structureId: structureA, structureName: 'France Services A (test demandes)', bouquet: 5, description: 'Besoin 5' });
    expect(Date.now() - new Date(body.closedAt ?? 0).getTime()).toBeLessThan(60_000);

    const audit = await t.dataSource.query(`SELECT action, reason FROM audit_event WHERE entity_id = $1 ORDER BY id`, [id]);
    expect(audit).toEqual([
      { action: 'request.open', reason: null },
      { action: 'request.status', reason: 'open->in_progress' },
      { action: 'request.status', reason: 'in_progress->resolved' },
    ]);
  });

  it('refuses an illegal transition with 409 naming both statuses, and sans suite without a reason with 400', async () => {
    const { requestIds } = await personWithRequests([5, 8]);
    const [first, second] = requestIds;
    expect((await agentA.post(`/api/requests/${first}/status`, { status: 'resolved' })).status).toBe(200);
    for (const status of ['in_progress', 'open', 'no_follow_up', 'resolved']) {
      const res = await agentA.post(`/api/requests/${first}/status`, { status, reason: 'x' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      expect(res.body.message).toContain('« Résolue »');
    }
    const back = await agentA.post(`/api/requests/${second}/status`, { status: 'open' });
    expect(back.status).toBe(409);
    expect(back.body.message).toMatch(/« Ouverte ».*« Ouverte »/);

    for (const reason of [undefined, null, '', '   ']) {
      const res = await agentA.post(`/api/requests/${second}/status`, { status: 'no_follow_up', reason });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'reason', messages: [expect.stringContaining('motif')] }]);
    }
    expect((await agentA.post(`/api/requests/${second}/status`, { status: 'no_follow_up', reason: 'x'.repeat(501) })).status).toBe(400);
    expect((await agentA.post(`/api/requests/${second}/status`, { status: 'closed' })).status).toBe(400);
    expect((await agentA.post(`/api/requests/${second}/status`, { status: 'resolved', extra: 1 })).status).toBe(400);
    expect((await agentA.post(`/api/requests/not-a-uuid/status`, { status: 'resolved' })).status).toBe(400);
    expect((await agentA.post(`/api/requests/${randomUUID()}/status`, { status: 'resolved' })).status).toBe(404);
    expect(await row(second)).toMatchObject({ status: 'open', closed_at: null });

    const noFollowUp = await agentA.post(`/api/requests/${second}/status`, { status: 'no_follow_up', reason: ' La personne a déménagé. ' });
    expect(noFollowUp.status).toBe(200);
    expect(noFollowUp.body).toMatchObject({ status: 'no_follow_up', closedReason: 'La personne a déménagé.', closedAt: expect.any(String) });
  });

  it('is enforced by the database too: a direct SQL update of an illegal transition is refused by the trigger', async () => {
    const { requestIds } = await personWithRequests();
    const [id] = requestIds;
    await t.dataSource.query(`UPDATE request SET status = 'resolved', closed_at = now() WHERE id = $1`, [id]);
    const refused = t.dataSource.query(`UPDATE request SET status = 'in_progress', closed_at = NULL WHERE id = $1`, [id]);
    await expect(refused).rejects.toBeInstanceOf(QueryFailedError);
    await expect(refused).rejects.toMatchObject({ driverError: { code: '23514', constraint: 'request_status_transition' } });
    await expect(t.dataSource.query(`UPDATE request SET status = 'open', closed_at = NULL WHERE id = $1`, [id])).rejects.toMatchObject({
      driverError: { code: '23514', constraint: 'request_status_transition' },
    });
    expect(await row(id)).toMatchObject({ status: 'resolved' });
  });

  it('serialises concurrent changes: one waiting on the row lock is then refused with 409', async () => {
    const { requestIds } = await personWithRequests();
    const [id] = requestIds;
    // Another transaction holds the row and closes it; our change waits on the lock, then sees "résolue".
    const other = t.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`UPDATE request SET status = 'resolved', closed_at = now() WHERE id = $1`, [id]);
    const waiting = Promise.resolve(agentA.post(`/api/requests/${id}/status`, { status: 'in_progress' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.commitTransaction();
    await other.release();
    const res = await waiting;
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INVALID_TRANSITION');
    expect(await row(id)).toMatchObject({ status: 'resolved' });
  });

  it('answers 409 INVALID_TRANSITION, not 400 or 500, when the trigger is the one refusing', async () => {
    const { requestIds } = await personWithRequests();
    const [id] = requestIds;
    await t.dataSource.query(`UPDATE request SET status = 'resolved', closed_at = now() WHERE id = $1`, [id]);
    // Blind the service's own check so that the UPDATE reaches the database.
    const check = jest.spyOn(requestStatus, 'canTransition').mockReturnValue(true);
    try {
      const res = await agentA.post(`/api/requests/${id}/status`, { status: 'in_progress' });
      expect(check).toHaveBeenCalled();
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringContaining('vient de changer') });
    } finally {
      check.mockRestore();
    }
    expect(await row(id)).toMatchObject({ status: 'resolved' });
    const audit = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_id = $1 AND action = 'request.status'`, [id]);
    expect(audit[0].n).toBe(0);
  });

  it('scopes requests: 404 for a person the caller may not see, 403 to change another structure’s request', async () => {
    const { personId, requestIds } = await personWithRequests();
    const [id] = requestIds;

    const list = await agentB.get(`/api/persons/${personId}/requests`);
    expect(list.status).toBe(404);
    expect(list.body.code).toBe('NOT_FOUND');
    expect((await agentB.post(`/api/requests/${id}/status`, { status: 'resolved' })).status).toBe(404);
    expect((await agentB.get(`/api/persons/${randomUUID()}/requests`)).status).toBe(404);
    expect((await agentB.get(`/api/persons/not-a-uuid/requests`)).status).toBe(400);

    // B takes the person on: A's requests stay A's until the person consents to share them with their parcours…
    await followPerson(t.dataSource, t.tenant.id, personId, structureB);
    const unshared = await agentB.get(`/api/persons/${personId}/requests`);
    expect(unshared.status).toBe(200);
    expect(unshared.body).toEqual([]);
    const consent = await agentA.post(`/api/persons/${personId}/consents`, {
      clientRequestId: randomUUID(),
      purpose: 'coordinated_follow_up',
      recipientKind: 'parcours',
      categories: ['needs_requests'],
      collectionMethod: 'oral',
      noticeVersion: CONSENT_NOTICE_VERSION,
    });
    expect(consent.status).toBe(201);
    // …then B sees them, but only A changes their status.
    const seen = await agentB.get(`/api/persons/${personId}/requests`);
    expect(seen.status).toBe(200);
    expect((seen.body as PersonRequest[]).map((r) => r.id)).toEqual([id]);
    const change = await agentB.post(`/api/requests/${id}/status`, { status: 'resolved' });
    expect(change.status).toBe(403);
    expect(change.body.code).toBe('FORBIDDEN');
    expect(await row(id)).toMatchObject({ status: 'open' });

    const audit = await t.dataSource.query(`SELECT action, user_id FROM audit_event WHERE entity_id = $1 AND action = 'person.requests.read'`, [personId]);
    expect(audit).toEqual([
      { action: 'person.requests.read', user_id: agentB.userId },
      { action: 'person.requests.read', user_id: agentB.userId },
    ]);

    // Coordinators see aggregates only.
    const coordinator = await t.signIn('coordinator', structureA);
    expect((await coordinator.get(`/api/persons/${personId}/requests`)).status).toBe(403);
  });

  it('lists a person’s requests newest first, with the contacts that touched them', async () => {
    const { personId, requestIds, contactId } = await personWithRequests([5]);
    await t.dataSource.query(`UPDATE request SET opened_at = now() - interval '10 days' WHERE id = $1`, [requestIds[0]]);
    const later = await agentA.post('/api/contacts', {
      clientRequestId: randomUUID(),
      personId,
      channel: 'phone',
      needs: [{ bouquet: 11 }, { bouquet: 5 }],
      answer: 'information',
      openRequestsForNeeds: [0],
      requestIds: [requestIds[0]],
    });
    const list = (await agentA.get(`/api/persons/${personId}/requests`)).body as PersonRequest[];
    expect(list.map((r) => [r.bouquet, r.contactIds])).toEqual([
      [11, [later.body.id]],
      [5, [contactId, later.body.id]],
    ]);
  });
});
