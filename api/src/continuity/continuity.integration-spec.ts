import {
  CONSENT_NOTICE_VERSION,
  CONTINUITY_ALERT_KINDS,
  CONTINUITY_DEFAULT_THRESHOLDS,
  type ContinuityAlert,
  type ContinuityAlertKind,
  type ContinuityAlertPage,
  type ContinuitySummary,
  type DataCategory,
  type Role,
} from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import type { AuthContext } from '../common/auth/auth-context';
import { insertPerson } from '../contacts/testing/reception-fixtures';
import { JobQueue } from '../retention/job-queue.service';
import { PersonAnonymizer } from '../retention/person-anonymizer';
import { TerritoryService } from '../territory/territory.service';
import { ContinuityClock } from './continuity-clock';
import { CONTINUITY_JOURNAL_QUEUE, CONTINUITY_JOURNAL_SCHEDULE } from './continuity-journal.job';
import { DAY_MS, formatAlertKey } from './continuity-rules';
import { SqlParams } from '../database/sql-params';
import { currentAlerts } from './continuity.repository';
import { ContinuityEraser } from './continuity.eraser';
import { ContinuityService, type JournalReport } from './continuity.service';

const MINUTE = 60_000;
/** `days` days (and `ms`) after `date`. */
const after = (date: Date, days: number, ms = 0) => new Date(date.getTime() + days * DAY_MS + ms);

/** A surname no other test person has (to look for it in what a caller reads). */
const uniqueName = () =>
  Array.from({ length: 9 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26)))
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

/** An agent of a structure: what the service needs (an AuthContext) and what HTTP needs (a session), lazily. */
interface Agent {
  tenantId: string;
  structureId: string;
  userId: string;
  email: string;
  role: Role;
  auth: AuthContext;
}

interface ReferralInput {
  personId: string;
  from: string;
  to: string;
  sentAt: Date;
  status?: 'sent' | 'received' | 'accepted' | 'refused' | 'closed' | 'cancelled';
  answeredAt?: Date;
  closedAt?: Date;
  outcome?: 'done' | 'not_done' | 'unreachable' | 'abandoned' | 'other';
  message?: string | null;
}

describe('continuity alerts (integration)', () => {
  let t: TestApp;
  let service: ContinuityService;
  let clock: ContinuityClock;
  /** The database's clock when the file starts: every gap is placed from it. */
  let T0: Date;

  beforeAll(async () => {
    t = await createTestApp();
    service = t.app.get(ContinuityService);
    clock = t.app.get(ContinuityClock);
    const [{ now }]: { now: Date }[] = await t.dataSource.query(`SELECT date_trunc('milliseconds', now()) AS now`);
    T0 = now;
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  /** Moves the clock the HTTP routes compute alerts at. */
  const setClock = (date: Date) => jest.spyOn(clock, 'now').mockReturnValue(date);

  // ---- test data, in SQL (independent of the other features' APIs) ----

  const structureIn = async (tenantId: string, name = `Structure ${randomUUID().slice(0, 8)}`, communeInsee?: string): Promise<string> => {
    const [{ id }]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO structure (tenant_id, name, type, commune_insee)
       SELECT $1, $2, 'ccas', coalesce($3, (SELECT insee_code FROM commune WHERE tenant_id = $1 ORDER BY insee_code LIMIT 1)) RETURNING id`,
      [tenantId, name, communeInsee ?? null],
    );
    return id;
  };

  const agentOf = async (tenantId: string, structureId: string, role: Role = 'social_worker'): Promise<Agent> => {
    const { user, membership, email } = await t.createAgent({ role, structureId, tenantId });
    const auth: AuthContext = {
      sessionId: randomUUID(),
      userId: user.id,
      tenantId,
      membershipId: membership.id,
      role,
      structureId: role === 'platform_admin' ? null : structureId,
      csrfToken: 'test',
      expiresAt: after(new Date(), 1),
      ip: null,
      requestId: null,
    };
    return { tenantId, structureId, userId: user.id, email, role, auth };
  };

  const sessions = new Map<string, TestSession>();
  const sessionOf = async (agent: Agent): Promise<TestSession> => {
    let session = sessions.get(agent.userId);
    if (!session) {
      session = await t.login(agent.email);
      sessions.set(agent.userId, session);
    }
    return session;
  };
  const put = (session: TestSession, url: string, body: object) =>
    request(t.app.getHttpServer()).put(url).set('Cookie', session.cookies).set('X-XSRF-TOKEN', session.csrfToken).send(body);

  const personOf = (tenantId: string, structureId: string, lastName = uniqueName()) =>
    insertPerson(t.dataSource, { tenantId, structureId, usageLastName: lastName, firstNames: 'Alex' });

  const insertReferral = async (tenantId: string, r: ReferralInput): Promise<string> => {
    const status = r.status ?? 'sent';
    const answered = ['accepted', 'refused', 'closed'].includes(status) ? (r.answeredAt ?? r.sentAt) : null;
    const [{ id }]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, to_structure_id, bouquet, message, status, sent_at,
                             received_at, answered_at, refusal_reason, closed_at, outcome, cancelled_at, status_comment)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, 14, $5, $6::text, $7, $8, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        tenantId,
        r.personId,
        r.from,
        r.to,
        r.message ?? null,
        status,
        r.sentAt,
        answered,
        status === 'refused' ? 'no_capacity' : null,
        status === 'closed' ? (r.closedAt ?? answered) : null,
        status === 'closed' ? (r.outcome ?? 'not_done') : null,
        status === 'cancelled' ? r.sentAt : null,
        status === 'refused' ? 'Commentaire-Libre-Refus' : null,
      ],
    );
    return id;
  };

  const insertRequest = async (tenantId: string, personId: string, structureId: string, openedAt: Date): Promise<string> => {
    const [{ id }]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO request (tenant_id, person_id, structure_id, bouquet, description, opened_at) VALUES ($1, $2, $3, 5, 'Description-Libre-Demande', $4) RETURNING id`,
      [tenantId, personId, structureId, openedAt],
    );
    return id;
  };
  const closeRequest = (id: string, at: Date) => t.dataSource.query(`UPDATE request SET status = 'resolved', closed_at = $2 WHERE id = $1`, [id, at]);

  const insertReferent = async (agent: Agent, personId: string, startedAt: Date): Promise<string> => {
    const [{ id }]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO referent (tenant_id, person_id, user_id, structure_id, criteria, chosen_with_person, started_at)
       VALUES ($1, $2, $3, $4, '{relevance}', true, $5) RETURNING id`,
      [agent.tenantId, personId, agent.userId, agent.structureId, startedAt],
    );
    return id;
  };
  const endReferent = (id: string, at: Date) => t.dataSource.query(`UPDATE referent SET ended_at = $2, ended_reason = 'ended' WHERE id = $1`, [id, at]);

  const insertContact = async (agent: Agent, personId: string | null, occurredAt: Date): Promise<string> => {
    const [{ id }]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, answer, occurred_at, summary, private_note)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, 'in_person', 'information', $5, 'Synthese-Libre-Contact', 'Note-Privee-Libre') RETURNING id`,
      [agent.tenantId, personId, agent.structureId, agent.userId, occurredAt],
    );
    return id;
  };

  const consent = (tenantId: string, personId: string, to: string, by: Agent, categories: DataCategory[]) =>
    t.dataSource.query(
      `INSERT INTO consent (tenant_id, client_request_id, person_id, purpose, recipient_kind, recipient_structure_id, categories, collection_method,
                            notice_version, collected_by_user_id, collected_by_structure_id)
       VALUES ($1, gen_random_uuid(), $2, 'orientation', 'structure', $3, $4::varchar[], 'oral', $5, $6, $7)`,
      [tenantId, personId, to, categories, CONSENT_NOTICE_VERSION, by.userId, by.structureId],
    );

  /** The caller's current alerts of this kind and subject at `now` (every state), through the service. */
  const find = async (agent: Agent, kind: ContinuityAlertKind, subjectId: string, now: Date): Promise<ContinuityAlert | undefined> =>
    (await service.list(agent.auth, { kind, state: 'all', limit: 200 }, now)).items.find((a) => a.subjectId === subjectId);

  /** Absent a minute before the gap is `days` old, present a minute after: returns the alert. */
  const crossesThreshold = async (agent: Agent, kind: ContinuityAlertKind, subjectId: string, gapSince: Date, days = CONTINUITY_DEFAULT_THRESHOLDS[kind]) => {
    expect(await find(agent, kind, subjectId, after(gapSince, days, -MINUTE))).toBeUndefined();
    const alert = await find(agent, kind, subjectId, after(gapSince, days, MINUTE));
    expect(alert).toMatchObject({ kind, subjectId, gapSince: gapSince.toISOString(), ageDays: days, thresholdDays: days });
    return alert as ContinuityAlert;
  };

  /** Two structures of the main tenant (A sends, B receives), an agent in each, and a person A follows. */
  const world = async () => {
    const tenantId = t.tenant.id;
    const a = await structureIn(tenantId, `France Services A ${uniqueName()}`);
    const b = await structureIn(tenantId, `CCAS B ${uniqueName()}`);
    const agentA = await agentOf(tenantId, a, 'reception_agent');
    const agentB = await agentOf(tenantId, b, 'social_worker');
    const lastName = uniqueName();
    const personId = await personOf(tenantId, a, lastName);
    return { tenantId, a, b, agentA, agentB, personId, lastName };
  };

  describe('each kind: absent before its delay, present after, gone when the gap closes', () => {
    it('referral_unanswered: sent and not answered; the receiver must act; answering closes it', async () => {
      const w = await world();
      const id = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0 });
      const alert = await crossesThreshold(w.agentB, 'referral_unanswered', id, T0);
      expect(alert).toMatchObject({
        key: formatAlertKey({ kind: 'referral_unanswered', subjectId: id, gapSince: T0 }),
        referralId: id,
        requestId: null,
        bouquet: 14,
        structure: { id: w.b },
        counterpart: { id: w.a },
        acknowledgement: null,
      });
      // Not the sender's to act on.
      expect(await find(w.agentA, 'referral_unanswered', id, after(T0, 16))).toBeUndefined();
      // Received: still waiting for an answer.
      await t.dataSource.query(`UPDATE referral SET status = 'received', received_at = $2 WHERE id = $1`, [id, after(T0, 1)]);
      expect(await find(w.agentB, 'referral_unanswered', id, after(T0, 16))).toBeDefined();
      await t.dataSource.query(`UPDATE referral SET status = 'accepted', answered_at = $2 WHERE id = $1`, [id, after(T0, 16)]);
      expect(await find(w.agentB, 'referral_unanswered', id, after(T0, 16, MINUTE))).toBeUndefined();
    });

    it('referral_not_in_charge: accepted and not taken in charge; taking charge closes it', async () => {
      const w = await world();
      const answeredAt = after(T0, 2);
      const id = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0, status: 'accepted', answeredAt });
      expect(await find(w.agentB, 'referral_unanswered', id, after(T0, 30))).toBeUndefined();
      const alert = await crossesThreshold(w.agentB, 'referral_not_in_charge', id, answeredAt);
      expect(alert).toMatchObject({ structure: { id: w.b }, counterpart: { id: w.a } });
      await t.dataSource.query(`UPDATE referral SET status = 'in_charge', in_charge_kind = 'appointment', in_charge_at = $2 WHERE id = $1`, [
        id,
        after(T0, 18),
      ]);
      expect(await find(w.agentB, 'referral_not_in_charge', id, after(T0, 18))).toBeUndefined();
    });

    it('referral_failed_no_followup (refused): the sender must act; a new orientation of the person closes it', async () => {
      const w = await world();
      const answeredAt = after(T0, 1);
      const id = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0, status: 'refused', answeredAt });
      const alert = await crossesThreshold(w.agentA, 'referral_failed_no_followup', id, answeredAt);
      expect(alert).toMatchObject({ structure: { id: w.a }, counterpart: { id: w.b }, referralId: id });
      expect(await find(w.agentB, 'referral_failed_no_followup', id, after(T0, 20))).toBeUndefined();
      // An older orientation of the person does not count; a new one, by any structure, does.
      const c = await structureIn(w.tenantId);
      await insertReferral(w.tenantId, { personId: w.personId, from: w.b, to: c, sentAt: after(T0, -3), status: 'cancelled' });
      expect(await find(w.agentA, 'referral_failed_no_followup', id, after(T0, 20))).toBeDefined();
      await insertReferral(w.tenantId, { personId: w.personId, from: w.b, to: c, sentAt: after(T0, 19) });
      expect(await find(w.agentA, 'referral_failed_no_followup', id, after(T0, 20))).toBeUndefined();
    });

    it('referral_failed_no_followup (closed without success): a contact with the person closes it; done or "other" never alert', async () => {
      const w = await world();
      const closedAt = after(T0, 3);
      const unreachable = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0, status: 'closed', closedAt, outcome: 'unreachable' });
      const done = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0, status: 'closed', closedAt, outcome: 'done' });
      const other = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0, status: 'closed', closedAt, outcome: 'other' });
      await crossesThreshold(w.agentA, 'referral_failed_no_followup', unreachable, closedAt);
      for (const id of [done, other]) expect(await find(w.agentA, 'referral_failed_no_followup', id, after(T0, 40))).toBeUndefined();
      // A contact before the closing does not count; one after it, by any structure, does.
      await insertContact(w.agentB, w.personId, after(T0, 2));
      expect(await find(w.agentA, 'referral_failed_no_followup', unreachable, after(T0, 20))).toBeDefined();
      await insertContact(w.agentB, w.personId, after(T0, 19));
      expect(await find(w.agentA, 'referral_failed_no_followup', unreachable, after(T0, 20))).toBeUndefined();
    });

    it('request_without_referent: the oldest open request’s structure must act; a référent closes it, the end of their term reopens it', async () => {
      const w = await world();
      const requestId = await insertRequest(w.tenantId, w.personId, w.a, T0);
      // A younger request at another structure: the oldest one decides who must act.
      await insertRequest(w.tenantId, w.personId, w.b, after(T0, 5));
      const alert = await crossesThreshold(w.agentA, 'request_without_referent', w.personId, T0);
      expect(alert).toMatchObject({ subjectId: w.personId, requestId, referralId: null, bouquet: 5, structure: { id: w.a }, counterpart: null });
      expect(await find(w.agentB, 'request_without_referent', w.personId, after(T0, 31))).toBeUndefined();

      const referentId = await insertReferent(w.agentA, w.personId, after(T0, 31));
      expect(await find(w.agentA, 'request_without_referent', w.personId, after(T0, 31, MINUTE))).toBeUndefined();
      // The term ends: a new gap, from the end of the term.
      const endedAt = after(T0, 40);
      await endReferent(referentId, endedAt);
      const again = await crossesThreshold(w.agentA, 'request_without_referent', w.personId, endedAt);
      expect(again.key).not.toBe(alert.key);
      // Both requests closed: no request, no alert.
      await t.dataSource.query(`UPDATE request SET status = 'resolved', closed_at = $2 WHERE person_id = $1`, [w.personId, after(T0, 71)]);
      expect(await find(w.agentA, 'request_without_referent', w.personId, after(T0, 71, MINUTE))).toBeUndefined();
    });

    it('accompaniment_lost_contact: an active référent and no contact since; the référent’s structure must act; a contact closes it', async () => {
      const w = await world();
      await insertReferent(w.agentB, w.personId, T0);
      // No contact at all: the gap runs from the start of the term.
      await crossesThreshold(w.agentB, 'accompaniment_lost_contact', w.personId, T0);
      // A contact (by any structure) moves the gap's start.
      const lastContact = after(T0, 10);
      await insertContact(w.agentA, w.personId, lastContact);
      const alert = await crossesThreshold(w.agentB, 'accompaniment_lost_contact', w.personId, lastContact);
      expect(alert).toMatchObject({ structure: { id: w.b }, bouquet: null, requestId: null, referralId: null });
      expect(await find(w.agentA, 'accompaniment_lost_contact', w.personId, after(T0, 101))).toBeUndefined();
      await insertContact(w.agentB, w.personId, after(T0, 101));
      expect(await find(w.agentB, 'accompaniment_lost_contact', w.personId, after(T0, 101, MINUTE))).toBeUndefined();
    });

    it('request_without_contact: an open request and no contact since; a contact closes it, and so does closing the request', async () => {
      const w = await world();
      const requestId = await insertRequest(w.tenantId, w.personId, w.a, T0);
      const alert = await crossesThreshold(w.agentA, 'request_without_contact', requestId, T0);
      expect(alert).toMatchObject({ subjectId: requestId, requestId, bouquet: 5, structure: { id: w.a } });
      const contactAt = after(T0, 46);
      await insertContact(w.agentB, w.personId, contactAt);
      expect(await find(w.agentA, 'request_without_contact', requestId, after(T0, 46, MINUTE))).toBeUndefined();
      // A new gap from that contact, then the request is closed.
      await crossesThreshold(w.agentA, 'request_without_contact', requestId, contactAt);
      await closeRequest(requestId, after(T0, 92));
      expect(await find(w.agentA, 'request_without_contact', requestId, after(T0, 92, MINUTE))).toBeUndefined();
    });

    it('merged and anonymised persons never produce alerts', async () => {
      const w = await world();
      const merged = await personOf(w.tenantId, w.a);
      const anonymised = await personOf(w.tenantId, w.a);
      const mergedRequest = await insertRequest(w.tenantId, merged, w.a, T0);
      const anonymisedRequest = await insertRequest(w.tenantId, anonymised, w.a, T0);
      const now = after(T0, 50);
      expect(await find(w.agentA, 'request_without_contact', mergedRequest, now)).toBeDefined();
      await t.dataSource.query(`UPDATE person SET merged_into_id = $2, merged_at = now() WHERE id = $1`, [merged, w.personId]);
      await t.dataSource.transaction((manager) =>
        t.app.get(PersonAnonymizer).anonymize(manager, { tenantId: w.tenantId, personIds: [anonymised], now: new Date(), cause: 'retention' }),
      );
      const items = (await service.list(w.agentA.auth, { state: 'all', limit: 200 }, now)).items;
      expect(items.map((i) => i.requestId)).not.toContain(mergedRequest);
      expect(items.map((i) => i.requestId)).not.toContain(anonymisedRequest);
      expect(items.map((i) => i.subjectId)).not.toContain(merged);
      expect(items.map((i) => i.subjectId)).not.toContain(anonymised);
    });
  });

  describe('thresholds', () => {
    it('a tenant’s own delay changes its alerts, not another tenant’s; coordinators set them (every kind, 1 to 730 days)', async () => {
      const tenant = (await t.app.get(TerritoryService).ensureTenant('04')).id;
      const a = await structureIn(tenant);
      const b = await structureIn(tenant);
      const agentB = await agentOf(tenant, b);
      const coordinator = await agentOf(tenant, a, 'coordinator');
      const person = await personOf(tenant, a);
      const id = await insertReferral(tenant, { personId: person, from: a, to: b, sentAt: T0 });
      // The same orientation in the main tenant, on its defaults.
      const w = await world();
      const elsewhere = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0 });

      const session = await sessionOf(coordinator);
      expect((await session.get('/api/continuity/thresholds')).body).toEqual(CONTINUITY_DEFAULT_THRESHOLDS);
      const quick = { ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: 3, accompaniment_lost_contact: 730 };
      const res = await put(session, '/api/continuity/thresholds', { thresholds: quick });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(quick);
      expect((await (await sessionOf(agentB)).get('/api/continuity/thresholds')).body).toEqual(quick);
      const [row] = await t.dataSource.query(`SELECT days, updated_by_user_id FROM continuity_threshold WHERE tenant_id = $1 AND kind = 'referral_unanswered'`, [
        tenant,
      ]);
      expect(row).toEqual({ days: 3, updated_by_user_id: coordinator.userId });
      const [audit] = await t.dataSource.query(`SELECT entity_type, entity_id, user_id FROM audit_event WHERE action = 'continuity.thresholds.update' AND tenant_id = $1`, [
        tenant,
      ]);
      expect(audit).toEqual({ entity_type: 'tenant', entity_id: tenant, user_id: coordinator.userId });

      await crossesThreshold(agentB, 'referral_unanswered', id, T0, 3);
      expect(await find(w.agentB, 'referral_unanswered', elsewhere, after(T0, 3, MINUTE))).toBeUndefined();
      expect(await find(w.agentB, 'referral_unanswered', elsewhere, after(T0, 15, MINUTE))).toBeDefined();

      // Back to 15: the alert at 3 days disappears.
      expect((await put(session, '/api/continuity/thresholds', { thresholds: CONTINUITY_DEFAULT_THRESHOLDS })).status).toBe(200);
      expect(await find(agentB, 'referral_unanswered', id, after(T0, 3, MINUTE))).toBeUndefined();
    });

    it('refuses bad delays, missing or unknown kinds, unknown fields (400), and other roles (403)', async () => {
      const tenant = t.tenant.id;
      const s = await structureIn(tenant);
      const coordinator = await sessionOf(await agentOf(tenant, s, 'coordinator'));
      const bodies: object[] = [
        { thresholds: { ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: 0 } },
        { thresholds: { ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: 731 } },
        { thresholds: { ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: 1.5 } },
        { thresholds: { ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: '15' } },
        { thresholds: { ...CONTINUITY_DEFAULT_THRESHOLDS, referral_lost: 10 } },
        { thresholds: { referral_unanswered: 10 } },
        { thresholds: null },
        { thresholds: [15] },
        { thresholds: CONTINUITY_DEFAULT_THRESHOLDS, extra: true },
        {},
      ];
      for (const body of bodies) {
        const res = await put(coordinator, '/api/continuity/thresholds', body);
        expect([JSON.stringify(body), res.status, res.body.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
      }
      const zero = await put(coordinator, '/api/continuity/thresholds', bodies[0]);
      expect(zero.body.details).toEqual([{ field: 'thresholds.referral_unanswered', messages: [expect.stringContaining('entre 1 et 730')] }]);
      for (const role of ['social_worker', 'reception_agent', 'structure_admin', 'platform_admin'] as Role[]) {
        const session = await sessionOf(await agentOf(tenant, s, role));
        expect([role, (await put(session, '/api/continuity/thresholds', { thresholds: CONTINUITY_DEFAULT_THRESHOLDS })).status]).toEqual([role, 403]);
      }
      const admin = await sessionOf(await agentOf(tenant, s, 'platform_admin'));
      expect((await admin.get('/api/continuity/thresholds')).status).toBe(403);
    });
  });

  describe('who sees what', () => {
    it('a structure sees its own alerts, the person only when the policy allows (name with identity); a coordinator sees all, without the person', async () => {
      const w = await world();
      const message = 'Message-Libre-Orientation';
      const unanswered = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0, message });
      const requestId = await insertRequest(w.tenantId, w.personId, w.a, T0);
      await insertContact(w.agentA, w.personId, after(T0, -1));
      setClock(after(T0, 50));
      const b = await sessionOf(w.agentB);
      const a = await sessionOf(w.agentA);

      // B does not follow the person, and no consent names it: the alert, no person.
      let page = (await b.get('/api/continuity/alerts')).body as ContinuityAlertPage;
      expect(page.items.map((i) => [i.kind, i.subjectId])).toEqual([['referral_unanswered', unanswered]]);
      expect(page).toMatchObject({ total: 1, limit: 50, offset: 0 });
      expect(page.items[0]).not.toHaveProperty('person');
      // A consent naming B, without identity: the person, unnamed.
      await consent(w.tenantId, w.personId, w.b, w.agentA, ['needs_requests']);
      page = (await b.get('/api/continuity/alerts')).body as ContinuityAlertPage;
      expect(page.items[0].person).toEqual({ id: w.personId, name: null });
      // With identity: named.
      await consent(w.tenantId, w.personId, w.b, w.agentA, ['identity_contact']);
      page = (await b.get('/api/continuity/alerts')).body as ContinuityAlertPage;
      expect(page.items[0].person).toEqual({ id: w.personId, name: `Alex ${w.lastName.toUpperCase()}` });
      // The list is audited, by structure, with no name.
      const audits = await t.dataSource.query(
        `SELECT entity_type, entity_id, reason FROM audit_event WHERE action = 'continuity.alerts.read' AND user_id = $1 ORDER BY id`,
        [w.agentB.userId],
      );
      expect(audits).toEqual([
        { entity_type: 'structure', entity_id: w.b, reason: 'persons:0' },
        { entity_type: 'structure', entity_id: w.b, reason: 'persons:1' },
        { entity_type: 'structure', entity_id: w.b, reason: 'persons:1' },
      ]);

      // A (follows the person) sees its request's alerts (named), not B's orientation.
      page = (await a.get('/api/continuity/alerts')).body as ContinuityAlertPage;
      // Both gaps began at T0 (the request's opening; the last contact is older): ties are ordered by kind.
      expect(page.items.map((i) => [i.kind, i.requestId, i.ageDays])).toEqual([
        ['request_without_contact', requestId, 50],
        ['request_without_referent', requestId, 50],
      ]);
      expect(page.items.every((i) => i.person?.name === `Alex ${w.lastName.toUpperCase()}`)).toBe(true);
      // A structure filters on its own structure only.
      expect((await a.get(`/api/continuity/alerts?structureId=${w.b}`)).status).toBe(403);
      expect((await a.get(`/api/continuity/alerts?structureId=${w.a}`)).body.total).toBe(2);

      // The coordinator: every alert of the tenant, never the person nor any free text.
      const coordinator = await sessionOf(await agentOf(w.tenantId, w.a, 'coordinator'));
      const all = await coordinator.get('/api/continuity/alerts?limit=200');
      expect(all.status).toBe(200);
      const mine = (all.body as ContinuityAlertPage).items.filter((i) => i.structure.id === w.a || i.structure.id === w.b);
      expect(mine.map((i) => i.kind).sort()).toEqual(['referral_unanswered', 'request_without_contact', 'request_without_referent']);
      for (const item of (all.body as ContinuityAlertPage).items) expect(Object.keys(item)).not.toContain('person');
      const text = JSON.stringify(all.body);
      for (const secret of [w.lastName, w.lastName.toUpperCase(), message, 'Synthese-Libre', 'Note-Privee', 'Description-Libre', 'Commentaire-Libre']) {
        expect(text).not.toContain(secret);
      }
      const filtered = (await coordinator.get(`/api/continuity/alerts?structureId=${w.b}`)).body as ContinuityAlertPage;
      expect(filtered.items.map((i) => i.subjectId)).toEqual([unanswered]);
      expect(filtered.items[0]).not.toHaveProperty('person');
      const one = await coordinator.get(`/api/continuity/alerts/${encodeURIComponent(filtered.items[0].key)}`);
      expect(one.status).toBe(200);
      expect(Object.keys(one.body)).not.toContain('person');
      expect(JSON.stringify(one.body)).not.toContain(message);
    });

    it('filters by territory (EPCI, commune), kind and state; pages with limit and offset; the summary counts by structure', async () => {
      const tenant = (await t.app.get(TerritoryService).ensureTenant('38')).id;
      const [gap, other]: { insee_code: string; epci_code: string }[] = await t.dataSource.query(
        `SELECT DISTINCT ON (epci_code) insee_code, epci_code FROM commune WHERE tenant_id = $1 AND epci_code IS NOT NULL ORDER BY epci_code, insee_code LIMIT 2`,
        [tenant],
      );
      const here = await structureIn(tenant, `Ici ${uniqueName()}`, gap.insee_code);
      const there = await structureIn(tenant, `Là-bas ${uniqueName()}`, other.insee_code);
      const agentHere = await agentOf(tenant, here);
      const person = await personOf(tenant, here);
      for (let n = 0; n < 3; n++) await insertReferral(tenant, { personId: person, from: there, to: here, sentAt: after(T0, -n) });
      const away = await insertReferral(tenant, { personId: person, from: here, to: there, sentAt: T0 });
      setClock(after(T0, 20));
      const coordinator = await sessionOf(await agentOf(tenant, here, 'coordinator'));

      const epci = (await coordinator.get(`/api/continuity/alerts?territory=epci:${gap.epci_code}`)).body as ContinuityAlertPage;
      expect(epci.total).toBe(3);
      expect(epci.items.every((i) => i.structure.id === here)).toBe(true);
      // Oldest gap first.
      expect(epci.items.map((i) => i.ageDays)).toEqual([22, 21, 20]);
      const commune = (await coordinator.get(`/api/continuity/alerts?territory=commune:${other.insee_code}`)).body as ContinuityAlertPage;
      expect(commune.items.map((i) => i.subjectId)).toEqual([away]);
      const paged = (await coordinator.get(`/api/continuity/alerts?territory=epci:${gap.epci_code}&limit=2&offset=2`)).body as ContinuityAlertPage;
      expect(paged).toMatchObject({ total: 3, limit: 2, offset: 2 });
      expect(paged.items.map((i) => i.ageDays)).toEqual([20]);
      const beyond = (await coordinator.get(`/api/continuity/alerts?limit=2&offset=50`)).body as ContinuityAlertPage;
      expect(beyond).toMatchObject({ total: 4, items: [] });
      expect((await coordinator.get(`/api/continuity/alerts?kind=request_without_contact`)).body.total).toBe(0);

      // Acknowledged ones leave the default (open) list.
      const ack = await coordinator.post('/api/continuity/alerts/acknowledgements', { key: epci.items[0].key });
      expect(ack.status).toBe(200);
      expect((await coordinator.get(`/api/continuity/alerts`)).body.total).toBe(3);
      expect((await coordinator.get(`/api/continuity/alerts?state=acknowledged`)).body.items.map((i: ContinuityAlert) => i.key)).toEqual([epci.items[0].key]);
      expect((await coordinator.get(`/api/continuity/alerts?state=all`)).body.total).toBe(4);

      const summary = (await coordinator.get(`/api/continuity/summary`)).body as ContinuitySummary;
      expect(summary).toMatchObject({ generatedAt: after(T0, 20).toISOString(), thresholds: CONTINUITY_DEFAULT_THRESHOLDS, acknowledged: 1 });
      expect(summary.totals).toEqual({ ...Object.fromEntries(CONTINUITY_ALERT_KINDS.map((k) => [k, 0])), referral_unanswered: 4 });
      expect(summary.byStructure.map((s) => [s.structure.id, s.total, s.counts.referral_unanswered])).toEqual([
        [here, 3, 3],
        [there, 1, 1],
      ]);
      expect(summary.byStructure[0].structure).toMatchObject({ communeInsee: gap.insee_code, epciCode: gap.epci_code });
      const inEpci = (await coordinator.get(`/api/continuity/summary?territory=epci:${other.epci_code}`)).body as ContinuitySummary;
      expect(inEpci.byStructure.map((s) => s.structure.id)).toEqual([there]);
      // A structure: its own counts only.
      const own = (await (await sessionOf(agentHere)).get('/api/continuity/summary')).body as ContinuitySummary;
      expect(own.byStructure.map((s) => s.structure.id)).toEqual([here]);
      expect(own.totals.referral_unanswered).toBe(3);
    });

    it('refuses unknown fields and bad values (400, never 500), and other roles (403)', async () => {
      const w = await world();
      const b = await sessionOf(w.agentB);
      for (const url of [
        '/api/continuity/alerts?unknown=1',
        '/api/continuity/alerts?kind=lost',
        '/api/continuity/alerts?state=closed',
        '/api/continuity/alerts?limit=0',
        '/api/continuity/alerts?limit=201',
        '/api/continuity/alerts?limit=abc',
        '/api/continuity/alerts?offset=-1',
        '/api/continuity/alerts?structureId=not-a-uuid',
        '/api/continuity/alerts?territory=region:93',
        '/api/continuity/summary?territory=epci:12',
        '/api/continuity/summary?structureId=x',
        '/api/continuity/alerts/not-a-key',
        `/api/continuity/alerts/${encodeURIComponent(`referral_unanswered~${randomUUID()}~yesterday`)}`,
        `/api/continuity/alerts/${encodeURIComponent(`nothing~${randomUUID()}~${T0.toISOString()}`)}`,
      ]) {
        const res = await b.get(url);
        expect([url, res.status, res.body.code]).toEqual([url, 400, 'VALIDATION_FAILED']);
      }
      const wellFormed = `referral_unanswered~${randomUUID()}~${T0.toISOString()}`;
      for (const body of [{}, { key: 'x' }, { key: 42 }, { key: wellFormed, extra: 1 }, { key: wellFormed, comment: 'x'.repeat(1001) }]) {
        const res = await b.post('/api/continuity/alerts/acknowledgements', body);
        expect([JSON.stringify(body).slice(0, 80), res.status]).toEqual([JSON.stringify(body).slice(0, 80), 400]);
      }
      // A well-formed key of no current alert: 404.
      expect((await b.get(`/api/continuity/alerts/${encodeURIComponent(`referral_unanswered~${randomUUID()}~${T0.toISOString()}`)}`)).status).toBe(404);

      const admin = await sessionOf(await agentOf(w.tenantId, w.a, 'platform_admin'));
      for (const [method, url] of [
        ['get', '/api/continuity/alerts'],
        ['get', '/api/continuity/summary'],
        ['get', `/api/continuity/alerts/${encodeURIComponent(`referral_unanswered~${randomUUID()}~${T0.toISOString()}`)}`],
        ['post', '/api/continuity/alerts/acknowledgements'],
      ] as const) {
        const res = method === 'get' ? await admin.get(url) : await admin.post(url, { key: `referral_unanswered~${randomUUID()}~${T0.toISOString()}` });
        expect([url, res.status]).toEqual([url, 403]);
      }
      // The service denies by default too (the benchmark calls it directly).
      const adminAgent = await agentOf(w.tenantId, w.a, 'platform_admin');
      await expect(service.list(adminAgent.auth, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(service.summary(adminAgent.auth, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await t.http().get('/api/continuity/alerts')).status).toBe(401);
    });
  });

  describe('acknowledgement', () => {
    it('the structure that must act acknowledges with a comment; again updates the comment; a coordinator does not read it; a closed gap is 404', async () => {
      const w = await world();
      const id = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0 });
      const now = after(T0, 16);
      setClock(now);
      const b = await sessionOf(w.agentB);
      const key = formatAlertKey({ kind: 'referral_unanswered', subjectId: id, gapSince: T0 });
      expect((await b.get(`/api/continuity/alerts/${encodeURIComponent(key)}`)).body).toMatchObject({ key, acknowledgement: null });
      // Not journaled yet: the acknowledgement creates its row.
      expect(await t.dataSource.query(`SELECT 1 FROM continuity_alert WHERE subject_id = $1`, [id])).toEqual([]);

      const first = await b.post('/api/continuity/alerts/acknowledgements', { key, comment: '  Relancé par téléphone  ' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        key,
        acknowledgement: { at: now.toISOString(), userName: 'Dominique Test', structureName: expect.stringContaining('CCAS B'), comment: 'Relancé par téléphone' },
      });
      const [row] = await t.dataSource.query(
        `SELECT kind, person_id, structure_id, bouquet, first_seen_at, closed_at, acknowledged_by_user_id, acknowledged_by_structure_id
           FROM continuity_alert WHERE subject_id = $1`,
        [id],
      );
      expect(row).toEqual({
        kind: 'referral_unanswered',
        person_id: w.personId,
        structure_id: w.b,
        bouquet: 14,
        first_seen_at: now,
        closed_at: null,
        acknowledged_by_user_id: w.agentB.userId,
        acknowledged_by_structure_id: w.b,
      });
      // The state filters.
      expect((await b.get('/api/continuity/alerts')).body.items.map((i: ContinuityAlert) => i.key)).not.toContain(key);
      expect((await b.get('/api/continuity/alerts?state=acknowledged')).body.items.map((i: ContinuityAlert) => i.key)).toEqual([key]);
      expect((await b.get('/api/continuity/alerts?state=all')).body.items.map((i: ContinuityAlert) => i.key)).toEqual([key]);

      // Again, later, by a colleague: the date stays, the comment and its author change; without a comment nothing changes.
      setClock(after(now, 0, 5 * MINUTE));
      const colleague = await agentOf(w.tenantId, w.b, 'reception_agent');
      const again = await (await sessionOf(colleague)).post('/api/continuity/alerts/acknowledgements', { key, comment: 'RDV fixé' });
      expect(again.body.acknowledgement).toMatchObject({ at: now.toISOString(), comment: 'RDV fixé' });
      const same = await b.post('/api/continuity/alerts/acknowledgements', { key });
      expect(same.body.acknowledgement).toEqual(again.body.acknowledgement);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM continuity_alert WHERE subject_id = $1`, [id]))[0].n).toBe(1);
      const cleared = await b.post('/api/continuity/alerts/acknowledgements', { key, comment: null });
      expect(cleared.body.acknowledgement).toMatchObject({ at: now.toISOString(), comment: null });
      await b.post('/api/continuity/alerts/acknowledgements', { key, comment: 'Personne hospitalisée' });

      // Audited, without the comment.
      const audits = await t.dataSource.query(
        `SELECT entity_type, reason FROM audit_event WHERE action = 'continuity.alert.acknowledge' AND structure_id = $1 ORDER BY id`,
        [w.b],
      );
      expect(audits).toHaveLength(5);
      expect(audits[0]).toEqual({ entity_type: 'continuity_alert', reason: 'referral_unanswered' });

      // A coordinator sees the acknowledgement, not a comment it did not write; its own, yes.
      const coordinatorAgent = await agentOf(w.tenantId, w.a, 'coordinator');
      const coordinator = await sessionOf(coordinatorAgent);
      const seen = (await coordinator.get(`/api/continuity/alerts/${encodeURIComponent(key)}`)).body as ContinuityAlert;
      expect(seen.acknowledgement).toMatchObject({ structureName: expect.stringContaining('CCAS B'), comment: null });
      expect(JSON.stringify(seen)).not.toContain('hospitalisée');
      const byCoordinator = await coordinator.post('/api/continuity/alerts/acknowledgements', { key, comment: 'Vu avec le CCAS' });
      expect(byCoordinator.body.acknowledgement).toMatchObject({ comment: 'Vu avec le CCAS', at: now.toISOString() });
      expect((await b.get(`/api/continuity/alerts/${encodeURIComponent(key)}`)).body.acknowledgement.comment).toBe('Vu avec le CCAS');

      // Not the sender's to acknowledge (nor to read): 404.
      const a = await sessionOf(w.agentA);
      expect((await a.post('/api/continuity/alerts/acknowledgements', { key })).status).toBe(404);
      expect((await a.get(`/api/continuity/alerts/${encodeURIComponent(key)}`)).status).toBe(404);

      // The gap closes (the orientation is answered): the alert is gone, acknowledged or not.
      await t.dataSource.query(`UPDATE referral SET status = 'refused', refusal_reason = 'no_capacity', answered_at = $2 WHERE id = $1`, [id, after(now, 0, MINUTE)]);
      expect((await b.post('/api/continuity/alerts/acknowledgements', { key, comment: 'Trop tard' })).status).toBe(404);
      expect((await b.get(`/api/continuity/alerts/${encodeURIComponent(key)}`)).status).toBe(404);
      expect((await b.get('/api/continuity/alerts?state=all')).body.total).toBe(0);
    });
  });

  describe('journal', () => {
    it('records when each alert was first seen and when its gap closed, acknowledged or not; idempotent', async () => {
      const tenant = (await t.app.get(TerritoryService).ensureTenant('13')).id;
      const a = await structureIn(tenant);
      const b = await structureIn(tenant);
      const agentB = await agentOf(tenant, b);
      const person = await personOf(tenant, a);
      const first = await insertReferral(tenant, { personId: person, from: a, to: b, sentAt: T0 });
      const second = await insertReferral(tenant, { personId: person, from: a, to: b, sentAt: after(T0, 1) });
      const journal = async (subject: string) =>
        (await t.dataSource.query(`SELECT kind, first_seen_at, closed_at, acknowledged_at FROM continuity_alert WHERE subject_id = $1`, [subject])) as {
          kind: string;
          first_seen_at: Date;
          closed_at: Date | null;
          acknowledged_at: Date | null;
        }[];

      const t1 = after(T0, 15, MINUTE);
      expect(await service.recordJournal(tenant, t1)).toEqual({ tenantId: tenant, opened: 1, updated: 0, closed: 0 });
      expect(await journal(first)).toEqual([{ kind: 'referral_unanswered', first_seen_at: t1, closed_at: null, acknowledged_at: null }]);
      expect(await journal(second)).toEqual([]);
      // Acknowledging an alert the journal has not seen yet creates its row.
      const t2 = after(T0, 16, 2 * MINUTE);
      await service.acknowledge(agentB.auth, { key: formatAlertKey({ kind: 'referral_unanswered', subjectId: second, gapSince: after(T0, 1) }) }, t2);
      expect(await journal(second)).toEqual([{ kind: 'referral_unanswered', first_seen_at: t2, closed_at: null, acknowledged_at: t2 }]);
      expect(await service.recordJournal(tenant, t2)).toEqual({ tenantId: tenant, opened: 0, updated: 0, closed: 0 });

      // Both gaps close (accepted, refused): the rows close, the acknowledged one too; the acceptance is a new gap later.
      const t3 = after(T0, 17);
      await t.dataSource.query(`UPDATE referral SET status = 'accepted', answered_at = $2 WHERE id = $1`, [first, after(T0, 16, 3 * MINUTE)]);
      await t.dataSource.query(`UPDATE referral SET status = 'refused', refusal_reason = 'out_of_zone', answered_at = $2 WHERE id = $1`, [
        second,
        after(T0, 16, 3 * MINUTE),
      ]);
      expect(await service.recordJournal(tenant, t3)).toEqual({ tenantId: tenant, opened: 0, updated: 0, closed: 2 });
      expect(await journal(first)).toEqual([{ kind: 'referral_unanswered', first_seen_at: t1, closed_at: t3, acknowledged_at: null }]);
      expect(await journal(second)).toEqual([{ kind: 'referral_unanswered', first_seen_at: t2, closed_at: t3, acknowledged_at: t2 }]);
      expect(await service.recordJournal(tenant, after(T0, 18))).toEqual({ tenantId: tenant, opened: 0, updated: 0, closed: 0 });
      const t4 = after(T0, 32);
      expect(await service.recordJournal(tenant, t4)).toEqual({ tenantId: tenant, opened: 2, updated: 0, closed: 0 });
      expect((await journal(first)).map((r) => [r.kind, r.first_seen_at, r.closed_at]).sort()).toEqual([
        ['referral_not_in_charge', t4, null],
        ['referral_unanswered', t1, t3],
      ]);
      expect((await journal(second)).map((r) => r.kind).sort()).toEqual(['referral_failed_no_followup', 'referral_unanswered']);

      // A merge moves the person of a current alert: its row follows.
      const target = await personOf(tenant, a);
      await t.dataSource.query(`UPDATE referral SET person_id = $2 WHERE person_id = $1`, [person, target]);
      await t.dataSource.query(`UPDATE person SET merged_into_id = $2, merged_at = now() WHERE id = $1`, [person, target]);
      expect(await service.recordJournal(tenant, after(T0, 33))).toEqual({ tenantId: tenant, opened: 0, updated: 2, closed: 0 });
      const persons = await t.dataSource.query(`SELECT DISTINCT person_id FROM continuity_alert WHERE tenant_id = $1 AND closed_at IS NULL`, [tenant]);
      expect(persons).toEqual([{ person_id: target }]);

      // The whole run (the job's): every tenant, this one included.
      const report: JournalReport = await service.runJournal(after(T0, 33));
      expect(report.tenants.find((r) => r.tenantId === tenant)).toEqual({ tenantId: tenant, opened: 0, updated: 0, closed: 0 });
    });

    it('a gap current again (a delay raised, then lowered) reopens its row, with its acknowledgement', async () => {
      const tenant = (await t.app.get(TerritoryService).ensureTenant('13')).id;
      const a = await structureIn(tenant);
      const b = await structureIn(tenant);
      const agentB = await agentOf(tenant, b);
      const person = await personOf(tenant, a);
      const id = await insertReferral(tenant, { personId: person, from: a, to: b, sentAt: T0 });
      const key = formatAlertKey({ kind: 'referral_unanswered', subjectId: id, gapSince: T0 });
      const now = after(T0, 20);
      await service.acknowledge(agentB.auth, { key, comment: 'Relancé' }, now);
      const row = async () =>
        (await t.dataSource.query(`SELECT closed_at, acknowledgement_comment FROM continuity_alert WHERE subject_id = $1`, [id]))[0] as {
          closed_at: Date | null;
          acknowledgement_comment: string | null;
        };
      await t.dataSource.query(`INSERT INTO continuity_threshold (tenant_id, kind, days) VALUES ($1, 'referral_unanswered', 30)`, [tenant]);
      await service.recordJournal(tenant, now);
      expect(await row()).toEqual({ closed_at: now, acknowledgement_comment: 'Relancé' });
      expect(await find(agentB, 'referral_unanswered', id, now)).toBeUndefined();
      await t.dataSource.query(`DELETE FROM continuity_threshold WHERE tenant_id = $1`, [tenant]);
      // Current again, under the same key: until the journal reopens it, it reads as not acknowledged…
      expect((await find(agentB, 'referral_unanswered', id, now))?.acknowledgement).toBeNull();
      // …and the journal's next run reopens it, acknowledgement included.
      expect(await service.recordJournal(tenant, after(now, 0, 15 * MINUTE))).toMatchObject({ opened: 0, updated: 1 });
      expect(await row()).toEqual({ closed_at: null, acknowledgement_comment: 'Relancé' });
      expect((await find(agentB, 'referral_unanswered', id, now))?.acknowledgement).toMatchObject({ comment: 'Relancé' });
    });

    it('the eraser deletes the person’s journal rows with the file (retention, erasure); idempotent', async () => {
      const w = await world();
      const id = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: T0 });
      const key = formatAlertKey({ kind: 'referral_unanswered', subjectId: id, gapSince: T0 });
      await service.acknowledge(w.agentB.auth, { key, comment: 'Texte-Libre-Prise-En-Compte' }, after(T0, 16));
      const anonymizer = t.app.get(PersonAnonymizer);
      expect(anonymizer.eraserNames).toContain('continuity');
      const done = await t.dataSource.transaction((manager) =>
        anonymizer.anonymize(manager, { tenantId: w.tenantId, personIds: [w.personId], now: new Date(), cause: 'erasure' }),
      );
      expect(done.erased['continuity']).toBe(1);
      expect(await t.dataSource.query(`SELECT 1 FROM continuity_alert WHERE person_id = $1`, [w.personId])).toEqual([]);
      const again = await t.dataSource.transaction((manager) =>
        t.app.get(ContinuityEraser).erase({ manager, tenantId: w.tenantId, personIds: [w.personId], now: new Date(), cause: 'erasure' }),
      );
      expect(again).toBe(0);
      // Anonymised: no alert any more, so the journal does not bring the row back.
      await service.recordJournal(w.tenantId, after(T0, 17));
      expect(await t.dataSource.query(`SELECT 1 FROM continuity_alert WHERE person_id = $1`, [w.personId])).toEqual([]);
    });
  });

  describe('person_activity (the last contact, kept by a trigger on contact)', () => {
    const activity = async (personId: string) =>
      ((await t.dataSource.query(`SELECT last_contact_at FROM person_activity WHERE person_id = $1`, [personId])) as { last_contact_at: Date }[])[0]
        ?.last_contact_at ?? null;

    it('follows inserts, a contact moved by a merge, a date changed and a contact deleted', async () => {
      const w = await world();
      const other = await personOf(w.tenantId, w.a);
      expect(await activity(w.personId)).toBeNull();
      const c1 = await insertContact(w.agentA, w.personId, after(T0, -10));
      expect(await activity(w.personId)).toEqual(after(T0, -10));
      const c2 = await insertContact(w.agentB, w.personId, after(T0, -5));
      await insertContact(w.agentA, w.personId, after(T0, -20)); // an older one, entered late: the last stays
      expect(await activity(w.personId)).toEqual(after(T0, -5));
      await insertContact(w.agentA, null, after(T0, 1)); // anonymous: nobody's
      expect(await activity(w.personId)).toEqual(after(T0, -5));

      // The merge moves the contacts (persons.repository merge): both persons are refreshed.
      const o1 = await insertContact(w.agentA, other, after(T0, -1));
      expect(await activity(other)).toEqual(after(T0, -1));
      await t.dataSource.query(`UPDATE contact SET person_id = $2 WHERE person_id = $1`, [other, w.personId]);
      expect(await activity(other)).toBeNull();
      expect(await activity(w.personId)).toEqual(after(T0, -1));

      // A date corrected, contacts deleted (erasure): back to the last remaining one, then none.
      await t.dataSource.query(`UPDATE contact SET occurred_at = $2 WHERE id = $1`, [o1, after(T0, -30)]);
      expect(await activity(w.personId)).toEqual(after(T0, -5));
      await t.dataSource.query(`DELETE FROM contact WHERE id = $1`, [c2]);
      expect(await activity(w.personId)).toEqual(after(T0, -10));
      await t.dataSource.query(`DELETE FROM contact WHERE person_id = $1`, [w.personId]);
      expect(await activity(w.personId)).toBeNull();
      expect(c1).toBeDefined();
    });
  });

  describe('continuity_gap: every open gap, kept by triggers', () => {
    const COLUMNS = 'tenant_id, kind, subject_id, gap_since, person_id, structure_id, counterpart_id, bouquet, referral_id, request_id';
    /** Rows of the table its view does not give, and of the view the table lacks (both empty when the table is exact). */
    const drift = async (tenantId: string) => ({
      stale: await t.dataSource.query(`SELECT ${COLUMNS} FROM continuity_gap WHERE tenant_id = $1 EXCEPT SELECT ${COLUMNS} FROM continuity_gap_source WHERE tenant_id = $1`, [tenantId]),
      missing: await t.dataSource.query(`SELECT ${COLUMNS} FROM continuity_gap_source WHERE tenant_id = $1 EXCEPT SELECT ${COLUMNS} FROM continuity_gap WHERE tenant_id = $1`, [tenantId]),
    });
    const gaps = async (personId: string) =>
      (await t.dataSource.query(`SELECT kind, gap_since FROM continuity_gap WHERE person_id = $1 ORDER BY kind`, [personId])) as { kind: string; gap_since: Date }[];

    it('equals its view after every scenario of this file (inserts, answers, merges, anonymisations, erasures, deletes)', async () => {
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM continuity_gap WHERE tenant_id = $1`, [t.tenant.id]);
      expect(n).toBeGreaterThan(5);
      expect(await drift(t.tenant.id)).toEqual({ stale: [], missing: [] });
    });

    it('follows each source table: contact, referral, request, referent, person', async () => {
      const w = await world();
      const requestId = await insertRequest(w.tenantId, w.personId, w.a, T0);
      expect(await gaps(w.personId)).toEqual([
        { kind: 'request_without_contact', gap_since: T0 },
        { kind: 'request_without_referent', gap_since: T0 },
      ]);
      await insertContact(w.agentA, w.personId, after(T0, 2));
      expect(await gaps(w.personId)).toEqual([
        { kind: 'request_without_contact', gap_since: after(T0, 2) },
        { kind: 'request_without_referent', gap_since: T0 },
      ]);
      const referentId = await insertReferent(w.agentA, w.personId, after(T0, 3));
      expect(await gaps(w.personId)).toEqual([
        { kind: 'accompaniment_lost_contact', gap_since: after(T0, 3) },
        { kind: 'request_without_contact', gap_since: after(T0, 2) },
      ]);
      await endReferent(referentId, after(T0, 4));
      const referralId = await insertReferral(w.tenantId, { personId: w.personId, from: w.a, to: w.b, sentAt: after(T0, 5) });
      expect(await gaps(w.personId)).toEqual([
        { kind: 'referral_unanswered', gap_since: after(T0, 5) },
        { kind: 'request_without_contact', gap_since: after(T0, 2) },
        { kind: 'request_without_referent', gap_since: after(T0, 4) },
      ]);
      await t.dataSource.query(`UPDATE referral SET status = 'refused', refusal_reason = 'no_capacity', answered_at = $2 WHERE id = $1`, [referralId, after(T0, 6)]);
      await closeRequest(requestId, after(T0, 7));
      expect(await gaps(w.personId)).toEqual([{ kind: 'referral_failed_no_followup', gap_since: after(T0, 6) }]);
      // Merged into another file: its gaps go (the merge moves the rows, which brings them to the other person).
      await t.dataSource.query(`UPDATE person SET merged_into_id = $2, merged_at = now() WHERE id = $1`, [w.personId, await personOf(w.tenantId, w.a)]);
      expect(await gaps(w.personId)).toEqual([]);
      expect(await drift(w.tenantId)).toEqual({ stale: [], missing: [] });
    });

    it('two transactions writing for the same person: the second refresh waits for the first and reads what it committed', async () => {
      const w = await world();
      await insertRequest(w.tenantId, w.personId, w.a, T0);
      const first = t.dataSource.createQueryRunner();
      const second = t.dataSource.createQueryRunner();
      await first.connect();
      await second.connect();
      try {
        await first.startTransaction();
        await second.startTransaction();
        const contact = (runner: typeof first, at: Date) =>
          runner.query(
            `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, answer, occurred_at)
             VALUES ($1, gen_random_uuid(), $2, $3, $4, 'phone', 'information', $5)`,
            [w.tenantId, w.personId, w.a, w.agentA.userId, at],
          );
        await first.query(`SELECT 1`); // both transactions have begun
        await contact(first, after(T0, 9));
        let secondDone = false;
        const pending = contact(second, after(T0, 8)).then(() => (secondDone = true));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(secondDone).toBe(false); // waiting for the person's lock
        await first.commitTransaction();
        await pending;
        await second.commitTransaction();
      } finally {
        await first.release();
        await second.release();
      }
      // The later contact (the first transaction's) is the gap's start, although the second committed last.
      expect((await gaps(w.personId)).find((g) => g.kind === 'request_without_contact')).toEqual({ kind: 'request_without_contact', gap_since: after(T0, 9) });
      expect(await drift(w.tenantId)).toEqual({ stale: [], missing: [] });
    });

    it('reads by index: the alert lists by continuity_gap’s, a person’s refresh by the person’s', async () => {
      const explain = (sql: string, values: unknown[]) =>
        t.dataSource.transaction(async (manager) => {
          // A small database makes sequential scans cheapest: forbid them, to see which indexes the query can use.
          await manager.query(`SET LOCAL enable_seqscan = off`);
          const rows: { 'QUERY PLAN': string }[] = await manager.query(`EXPLAIN ${sql}`, values);
          return rows.map((r) => r['QUERY PLAN']).join('\n');
        });
      const now = after(T0, 100);
      const cutoffs = Object.fromEntries(CONTINUITY_ALERT_KINDS.map((k) => [k, after(now, -CONTINUITY_DEFAULT_THRESHOLDS[k])])) as Record<ContinuityAlertKind, Date>;
      const tenantWide = new SqlParams();
      expect(await explain(currentAlerts({ tenantId: t.tenant.id, kinds: CONTINUITY_ALERT_KINDS, cutoffs }, tenantWide).sql, tenantWide.values)).toContain(
        'continuity_gap_tenant_idx',
      );
      // (A structure's list reads continuity_gap_structure_idx at scale, bench:continuity; on a few rows either index is as cheap.)
      const structure = new SqlParams();
      const structureId = (await world()).a;
      expect(await explain(currentAlerts({ tenantId: t.tenant.id, kinds: CONTINUITY_ALERT_KINDS, cutoffs, structureId }, structure).sql, structure.values)).toMatch(
        /Index (Only )?Scan using continuity_gap_(structure|tenant)_idx/,
      );
      // The person's condition reaches every branch of the view (its refresh never scans a table).
      const plan = await explain(`SELECT * FROM continuity_gap_source WHERE person_id = $1`, [randomUUID()]);
      for (const index of ['referral_person_idx', 'request_person_idx', 'person_activity_pkey']) {
        expect([index, plan.includes(index)]).toEqual([index, true]);
      }
      expect(plan).toMatch(/referent_person_idx|referent_one_active_uq/);
      expect(plan).not.toMatch(/Seq Scan/);
    });
  });
});

describe('continuity journal on the pg-boss queue (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
  });
  afterAll(() => t.close());

  it('registers the quarter-hourly schedule and works a job sent through the real queue', async () => {
    const jobs = t.app.get(JobQueue);
    expect(await jobs.getSchedules()).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: CONTINUITY_JOURNAL_QUEUE, cron: CONTINUITY_JOURNAL_SCHEDULE.cron, timezone: 'Europe/Paris' })]),
    );
    const from = (await t.createStructure()).id;
    const to = (await t.createStructure()).id;
    const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: from, usageLastName: 'Durand' });
    const [{ old }] = await t.dataSource.query(`SELECT now() - interval '16 days' AS old`);
    const [{ id: referralId }] = await t.dataSource.query(
      `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, to_structure_id, bouquet, sent_at)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, 14, $5) RETURNING id`,
      [t.tenant.id, personId, from, to, old],
    );

    const id = await jobs.send(CONTINUITY_JOURNAL_QUEUE);
    expect(id).toEqual(expect.any(String));
    const deadline = Date.now() + 30_000;
    let job = await jobs.getJob(CONTINUITY_JOURNAL_QUEUE, id as string);
    while (job?.state !== 'completed' && job?.state !== 'failed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = await jobs.getJob(CONTINUITY_JOURNAL_QUEUE, id as string);
    }
    expect(job?.state).toBe('completed');
    const report = job?.output as JournalReport;
    expect(report.tenants.find((r) => r.tenantId === t.tenant.id)).toMatchObject({ opened: 1, closed: 0 });
    expect(JSON.stringify(report)).not.toMatch(/Durand/);
    expect(await t.dataSource.query(`SELECT kind, structure_id FROM continuity_alert WHERE subject_id = $1`, [referralId])).toEqual([
      { kind: 'referral_unanswered', structure_id: to },
    ]);
  });
});

