import type { Contact } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestApp, type TestApp, type TestSession } from '../../test/test-app';
import { insertPerson } from '../contacts/testing/reception-fixtures';
import { TerritoryService } from '../territory/territory.service';
import { ANONYMIZED_TEXT, RequestsEraser } from './attached-data-erasers';
import { JOB_QUEUE_APPLICATION_NAME, JobQueue } from './job-queue.service';
import type { RetentionReport } from './retention-report';
import { RETENTION_QUEUE, RETENTION_SCHEDULE } from './retention.job';
import { ANONYMIZED_NAME, RetentionService } from './retention.service';

/** `date` moved by `months` (calendar months, UTC). */
function monthsLater(date: Date, months: number): Date {
  const moved = new Date(date);
  moved.setUTCMonth(moved.getUTCMonth() + months);
  return moved;
}

interface TestTenant {
  tenantId: string;
  structureId: string;
  agent: TestSession;
  userId: string;
}

/** A département of its own for one test (the run covers every tenant: tests do not see each other's files). */
async function tenantWithAgent(t: TestApp, code: string): Promise<TestTenant> {
  const tenant = await t.app.get(TerritoryService).ensureTenant(code);
  const [{ insee_code }]: { insee_code: string }[] = await t.dataSource.query(
    `SELECT insee_code FROM commune WHERE tenant_id = $1 ORDER BY insee_code LIMIT 1`,
    [tenant.id],
  );
  const [{ id: structureId }]: { id: string }[] = await t.dataSource.query(
    `INSERT INTO structure (tenant_id, name, type, commune_insee) VALUES ($1, $2, 'ccas', $3) RETURNING id`,
    [tenant.id, `CCAS test rétention ${code}`, insee_code],
  );
  const created = await t.createAgent({ role: 'reception_agent', structureId, tenantId: tenant.id });
  return { tenantId: tenant.id, structureId, agent: await t.login(created.email), userId: created.user.id };
}

/** A file with a full identity (every field the anonymisation must clear). */
async function insertFullPerson(t: TestApp, tenant: TestTenant, mergedIntoId: string | null = null): Promise<string> {
  const id = await insertPerson(t.dataSource, { tenantId: tenant.tenantId, structureId: tenant.structureId, usageLastName: 'Durand', birthLastName: 'Martin', firstNames: 'Lucie Anne' });
  const [{ insee_code }]: { insee_code: string }[] = await t.dataSource.query(`SELECT insee_code FROM commune WHERE tenant_id = $1 LIMIT 1`, [tenant.tenantId]);
  await t.dataSource.query(
    `UPDATE person SET birth_date = '1984-03-12', birth_date_precision = 'day', commune_insee = $2, phone = '0612345678',
            email = 'lucie.durand@example.fr', languages = '{ar,fr}', needs_interpreter = true, contact_preference = 'sms',
            household = 'alone_with_children', dependent_children = 2, nationality_group = 'non_eu',
            merged_into_id = $3, merged_at = CASE WHEN $3::uuid IS NULL THEN NULL ELSE now() END
      WHERE id = $1`,
    [id, insee_code, mergedIntoId],
  );
  return id;
}

/** A contact logged through the API (now), with free text everywhere, opening a request per need. */
async function logContact(tenant: TestTenant, personId: string | null, bouquets: number[] = [14, 5]): Promise<Contact> {
  const res = await tenant.agent.post('/api/contacts', {
    clientRequestId: randomUUID(),
    personId,
    channel: 'in_person',
    needs: bouquets.map((bouquet) => ({ bouquet, subNeed: bouquet === 14 ? 'Impayés de loyer' : null, detail: `Détail confidentiel ${bouquet} : M. Durand` })),
    answer: 'referral_needed',
    summary: 'Mme Durand, hébergée chez sa sœur rue des Lilas.',
    privateNote: 'Violences conjugales évoquées.',
    openRequestsForNeeds: personId ? bouquets.map((_, i) => i) : [],
  });
  expect(res.status).toBe(201);
  return res.body as Contact;
}

async function insertConsentAndOverride(t: TestApp, tenant: TestTenant, personId: string): Promise<void> {
  await t.dataSource.query(
    `INSERT INTO consent (tenant_id, client_request_id, person_id, purpose, recipient_kind, categories, collection_method, notice_version,
                          collected_by_user_id, collected_by_structure_id)
     VALUES ($1, gen_random_uuid(), $2, 'coordinated_follow_up', 'parcours', '{needs_requests}', 'oral', 'test', $3, $4)`,
    [tenant.tenantId, personId, tenant.userId, tenant.structureId],
  );
  await t.dataSource.query(
    `INSERT INTO access_override (tenant_id, person_id, user_id, structure_id, legal_basis, justification, expires_at)
     VALUES ($1, $2, $3, $4, 'danger', 'Signalement de danger par la voisine de Mme Durand.', now() + interval '4 hours')`,
    [tenant.tenantId, personId, tenant.userId, tenant.structureId],
  );
}

const personRow = async (t: TestApp, id: string) =>
  (
    await t.dataSource.query(
      `SELECT usage_last_name, birth_last_name, first_names, birth_date, birth_date_precision, commune_insee, no_stable_home, domiciliation,
              phone, email, languages, needs_interpreter, contact_preference, household, dependent_children, nationality_group,
              merged_into_id, anonymized_at, tenant_id, created_by_structure_id
         FROM person WHERE id = $1`,
      [id],
    )
  )[0];

/** What anonymous statistics count in a tenant: needs by bouquet, contacts by channel/answer/structure, requests by bouquet/status, files. */
async function statistics(t: TestApp, tenantId: string): Promise<unknown> {
  const q = (sql: string) => t.dataSource.query(sql, [tenantId]);
  return {
    needsByBouquet: await q(
      `SELECT n.bouquet, n.sub_need, count(*)::int AS n FROM contact_need n JOIN contact c ON c.id = n.contact_id WHERE c.tenant_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    contacts: await q(
      `SELECT channel, answer, structure_id, date_trunc('day', occurred_at) AS day, (person_id IS NULL) AS anonymous, count(*)::int AS n
         FROM contact WHERE tenant_id = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    ),
    requests: await q(
      `SELECT bouquet, sub_need, status, opened_at, closed_at, count(*)::int AS n FROM request WHERE tenant_id = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    ),
    persons: await q(`SELECT count(*)::int AS n, count(*) FILTER (WHERE merged_into_id IS NULL)::int AS roots FROM person WHERE tenant_id = $1`),
    follows: await q(`SELECT count(*)::int AS n FROM person_follow WHERE tenant_id = $1`),
  };
}

/** Every row the retention may touch in a tenant, to prove a second run changes nothing. */
async function snapshot(t: TestApp, tenantId: string): Promise<unknown> {
  const rows = (table: string, order: string) => t.dataSource.query(`SELECT to_jsonb(x) AS row FROM ${table} x WHERE tenant_id = $1 ORDER BY ${order}`, [tenantId]);
  return {
    person: await rows('person', 'id'),
    contact: await rows('contact', 'id'),
    contact_need: await rows('contact_need', 'contact_id, position'),
    request: await rows('request', 'id'),
    consent: await rows('consent', 'id'),
    access_override: await rows('access_override', 'id'),
  };
}

const tenantReport = (report: RetentionReport, tenantId: string) => report.tenants.find((r) => r.tenantId === tenantId);

describe('retention (integration)', () => {
  let t: TestApp;
  let retention: RetentionService;
  let now: Date;

  beforeAll(async () => {
    t = await createTestApp();
    retention = t.app.get(RetentionService);
    now = (await t.dataSource.query(`SELECT now() AS now`))[0].now as Date;
  });
  afterAll(() => t.close());

  it('does not start the job queue when JOBS_ENABLED is false (the tests’ default)', async () => {
    expect(t.app.get(JobQueue).started).toBe(false);
    const [{ schema }] = await t.dataSource.query(`SELECT to_regnamespace('pgboss')::text AS schema`);
    expect(schema).toBeNull();
    expect(retention.eraserNames).toEqual(['access_overrides', 'contacts', 'continuity', 'documents', 'referents', 'referrals', 'requests']);
  });

  it('anonymises files whose last contact is 25 months old, keeps those with a contact 23 months old, and keeps the statistics', async () => {
    const tenant = await tenantWithAgent(t, '04');
    const later = monthsLater(now, 2); // "23 months ago" seen from the moved clock

    // A: last contact now (25 months before the clock); free text everywhere, a consent, an override.
    const a = await insertFullPerson(t, tenant);
    await logContact(tenant, a);
    const requestOf = async (bouquet: number): Promise<string> =>
      (await t.dataSource.query(`SELECT id FROM request WHERE person_id = $1 AND bouquet = $2`, [a, bouquet]))[0].id;
    const noFollowUp = await requestOf(14);
    const resolved = await requestOf(5);
    expect((await tenant.agent.post(`/api/requests/${noFollowUp}/status`, { status: 'no_follow_up', reason: 'Mme Durand a déménagé chez son frère.' })).status).toBe(200);
    expect((await tenant.agent.post(`/api/requests/${resolved}/status`, { status: 'resolved', reason: 'APL ouverte pour Mme Durand.' })).status).toBe(200);
    await insertConsentAndOverride(t, tenant, a);
    const aMerged = await insertFullPerson(t, tenant, a); // merged into A: follows A
    // B: a contact now and one 2 months later (23 months before the clock).
    const b = await insertFullPerson(t, tenant);
    await logContact(tenant, b);
    const recent = await logContact(tenant, b, [8]);
    await t.dataSource.query(`UPDATE contact SET occurred_at = $2 WHERE id = $1`, [recent.id, later]);
    const bMerged = await insertFullPerson(t, tenant, b); // merged into B: B is kept, so is it
    // C: no contact, created now; D: no contact, created 2 months later.
    const c = await insertFullPerson(t, tenant);
    const d = await insertFullPerson(t, tenant);
    await t.dataSource.query(`UPDATE person SET created_at = $2 WHERE id = $1`, [d, later]);
    // G: an old contact, but a file merged into it (through a chain I → H → G) was created 2 months later.
    const g = await insertFullPerson(t, tenant);
    await logContact(tenant, g, [11]);
    const h = await insertFullPerson(t, tenant, g);
    const i = await insertFullPerson(t, tenant, h);
    await t.dataSource.query(`UPDATE person SET created_at = $2 WHERE id = $1`, [i, later]);
    // J ← K ← L: a chain of merged files, all old.
    const j = await insertFullPerson(t, tenant);
    await logContact(tenant, j, [2]);
    const k = await insertFullPerson(t, tenant, j);
    const l = await insertFullPerson(t, tenant, k);
    // Anonymous contacts (no person): one now (cleared), one 2 months later (kept).
    const anonymousOld = await logContact(tenant, null, [1]);
    const anonymousRecent = await logContact(tenant, null, [1]);
    await t.dataSource.query(`UPDATE contact SET occurred_at = $2 WHERE id = $1`, [anonymousRecent.id, later]);

    const consentsBefore = await t.dataSource.query(`SELECT to_jsonb(c) AS row FROM consent c WHERE person_id = $1`, [a]);
    const statsBefore = await statistics(t, tenant.tenantId);

    const clock = monthsLater(now, 25);
    const report = await retention.run(clock);

    const anonymized = [a, aMerged, c, j, k, l];
    const kept = [b, bMerged, d, g, h, i];
    expect(tenantReport(report, tenant.tenantId)).toMatchObject({
      personRetentionMonths: 24,
      personsAnonymized: anonymized.length,
      anonymousContactsCleared: 1,
      // contacts: A's and J's contacts (2) and their needs' details (2 + 1); requests: A's 2 and J's 1.
      erased: { contacts: 5, requests: 3, access_overrides: 1 },
    });
    for (const id of anonymized) {
      expect(await personRow(t, id)).toEqual({
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
        merged_into_id: { [a]: null, [aMerged]: a, [c]: null, [j]: null, [k]: j, [l]: k }[id],
        anonymized_at: clock,
        tenant_id: tenant.tenantId,
        created_by_structure_id: tenant.structureId,
      });
    }
    for (const id of kept) {
      expect(await personRow(t, id)).toMatchObject({ usage_last_name: 'Durand', first_names: 'Lucie Anne', phone: '0612345678', anonymized_at: null });
    }

    // Free text gone, codes, statuses and dates kept.
    const contactsOf = (ids: string[]) =>
      t.dataSource.query(
        `SELECT c.summary, c.private_note, array_agg(n.detail ORDER BY n.position) AS details, array_agg(n.sub_need ORDER BY n.position) AS sub_needs
           FROM contact c JOIN contact_need n ON n.contact_id = c.id WHERE c.person_id = ANY($1::uuid[]) OR c.id = ANY($1::uuid[]) GROUP BY c.id`,
        [ids],
      );
    for (const row of await contactsOf([a, j, anonymousOld.id])) {
      expect(row).toMatchObject({ summary: null, private_note: null });
      expect(row.details.every((detail: string | null) => detail === null)).toBe(true);
    }
    expect((await contactsOf([a]))[0].sub_needs).toEqual(['Impayés de loyer', null]);
    for (const row of await contactsOf([b, g, anonymousRecent.id])) {
      expect(row.summary).toContain('Durand');
      expect(row.private_note).not.toBeNull();
      expect(row.details.every((detail: string | null) => detail?.includes('Durand'))).toBe(true);
    }
    const requestsOfA = await t.dataSource.query(`SELECT id, status, description, closed_reason, closed_at FROM request WHERE person_id = $1 ORDER BY bouquet DESC`, [a]);
    expect(requestsOfA).toEqual([
      { id: noFollowUp, status: 'no_follow_up', description: null, closed_reason: ANONYMIZED_TEXT, closed_at: expect.any(Date) },
      { id: resolved, status: 'resolved', description: null, closed_reason: null, closed_at: expect.any(Date) },
    ]);
    const [override] = await t.dataSource.query(`SELECT justification, legal_basis FROM access_override WHERE person_id = $1`, [a]);
    expect(override).toEqual({ justification: ANONYMIZED_TEXT, legal_basis: 'danger' });
    // Consents are history: kept as they were (no withdrawal invented, nothing identifying in them).
    expect(await t.dataSource.query(`SELECT to_jsonb(c) AS row FROM consent c WHERE person_id = $1`, [a])).toEqual(consentsBefore);

    expect(await statistics(t, tenant.tenantId)).toEqual(statsBefore);

    // The run is audited with counts only.
    const [audit] = await t.dataSource.query(
      `SELECT action, outcome, entity_type, entity_id, reason, user_id FROM audit_event WHERE tenant_id = $1 AND action = 'retention.run' ORDER BY id DESC LIMIT 1`,
      [tenant.tenantId],
    );
    expect(audit).toEqual({ action: 'retention.run', outcome: 'success', entity_type: 'tenant', entity_id: tenant.tenantId, reason: 'persons:6;contacts:1;audit:0', user_id: null });

    // The file still opens (for the structure that follows it), with nothing left to read.
    const file = await tenant.agent.get(`/api/persons/${a}`);
    expect(file.status).toBe(200);
    expect(JSON.stringify(file.body)).not.toMatch(/Durand|Lucie|0612345678|Lilas|Violences/);

    // Running again, with the same clock, changes nothing more.
    const before = await snapshot(t, tenant.tenantId);
    const again = await retention.run(clock);
    expect(tenantReport(again, tenant.tenantId)).toMatchObject({
      personsAnonymized: 0,
      anonymousContactsCleared: 0,
      erased: { contacts: 0, requests: 0, access_overrides: 0 },
    });
    expect(await snapshot(t, tenant.tenantId)).toEqual(before);

    // A later write cannot bring an identity back into an anonymised file (CHECK).
    await expect(t.dataSource.query(`UPDATE person SET phone = '0611111111' WHERE id = $1`, [a])).rejects.toMatchObject({
      driverError: { code: '23514', constraint: 'person_anonymized_holds_no_identity' },
    });
  });

  it('follows each tenant’s setting: a tenant at 6 months anonymises at 7 months, not at 5; another at 24 months does not', async () => {
    const short = await tenantWithAgent(t, '06');
    await t.dataSource.query(`UPDATE tenant SET person_retention_months = 6 WHERE id = $1`, [short.tenantId]);
    const long = await tenantWithAgent(t, '13');
    const inShort = await insertFullPerson(t, short);
    await logContact(short, inShort);
    const inLong = await insertFullPerson(t, long);
    await logContact(long, inLong);

    const at5 = await retention.run(monthsLater(now, 5));
    expect(tenantReport(at5, short.tenantId)).toMatchObject({ personRetentionMonths: 6, personsAnonymized: 0 });
    expect((await personRow(t, inShort)).anonymized_at).toBeNull();

    const at7 = await retention.run(monthsLater(now, 7));
    expect(tenantReport(at7, short.tenantId)).toMatchObject({ personRetentionMonths: 6, personsAnonymized: 1 });
    expect(tenantReport(at7, long.tenantId)).toMatchObject({ personRetentionMonths: 24, personsAnonymized: 0 });
    expect((await personRow(t, inShort)).usage_last_name).toBe(ANONYMIZED_NAME);
    expect((await personRow(t, inLong)).usage_last_name).toBe('Durand');

    // Sane ranges only.
    for (const [column, value] of [
      ['person_retention_months', 5],
      ['person_retention_months', 121],
      ['audit_retention_months', 5],
      ['audit_retention_months', 61],
    ] as const) {
      await expect(t.dataSource.query(`UPDATE tenant SET ${column} = $2 WHERE id = $1`, [short.tenantId, value])).rejects.toMatchObject({
        driverError: { code: '23514', constraint: `tenant_${column}` },
      });
    }
  });

  it('works in batches, one transaction each: a failing batch is rolled back whole, and the next run resumes', async () => {
    const tenant = await tenantWithAgent(t, '38');
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const id = await insertFullPerson(t, tenant);
      await logContact(tenant, id, [10]);
      ids.push(id);
    }
    const eraser = t.app.get(RequestsEraser);
    const original = eraser.erase.bind(eraser);
    let calls = 0;
    const spy = jest.spyOn(eraser, 'erase').mockImplementation(async (erasure) => {
      if (erasure.tenantId === tenant.tenantId && ++calls === 2) throw new Error('simulated failure');
      return original(erasure);
    });
    const clock = monthsLater(now, 25);
    try {
      await expect(retention.run(clock, { batchSize: 2 })).rejects.toThrow(/Retention run failed for 1 part/);
    } finally {
      spy.mockRestore();
    }
    const state = async () =>
      t.dataSource.query(
        `SELECT p.anonymized_at IS NOT NULL AS anonymized, p.usage_last_name, c.summary IS NULL AS summary_cleared
           FROM person p JOIN contact c ON c.person_id = p.id WHERE p.id = ANY($1::uuid[]) ORDER BY p.created_at, p.id`,
        [ids],
      );
    // First batch committed; second rolled back whole (its contacts were erased before the failure:
    // the rollback restored them); third never started.
    const afterFailure: { anonymized: boolean; summary_cleared: boolean }[] = await state();
    expect(afterFailure.map((r) => [r.anonymized, r.summary_cleared])).toEqual([
      [true, true],
      [true, true],
      [false, false],
      [false, false],
      [false, false],
    ]);
    const [failure] = await t.dataSource.query(
      `SELECT outcome, reason FROM audit_event WHERE tenant_id = $1 AND action = 'retention.run' ORDER BY id DESC LIMIT 1`,
      [tenant.tenantId],
    );
    expect(failure).toEqual({ outcome: 'failure', reason: 'persons:2;contacts:0;audit:0;error' });

    const resumed = await retention.run(clock, { batchSize: 2 });
    expect(tenantReport(resumed, tenant.tenantId)).toMatchObject({ personsAnonymized: 3 });
    expect(((await state()) as { anonymized: boolean }[]).every((r) => r.anonymized)).toBe(true);
  });

  it('purges audit rows past each tenant’s retention (12 months by default, rows without tenant too), and only in the purge', async () => {
    const byDefault = await tenantWithAgent(t, '69');
    const sixMonths = await tenantWithAgent(t, '75');
    await t.dataSource.query(`UPDATE tenant SET audit_retention_months = 6 WHERE id = $1`, [sixMonths.tenantId]);
    const marker = randomUUID();
    const insert = async (tenantId: string | null, monthsAgo: number): Promise<string> => {
      const [{ id }]: { id: string }[] = await t.dataSource.query(
        `INSERT INTO audit_event (tenant_id, occurred_at, action, outcome, entity_type, entity_id)
         VALUES ($1, now() - make_interval(months => $2), 'test.retention', 'success', 'test', $3) RETURNING id`,
        [tenantId, monthsAgo, marker],
      );
      return id;
    };
    const rows = {
      default13: await insert(byDefault.tenantId, 13),
      default11: await insert(byDefault.tenantId, 11),
      six7: await insert(sixMonths.tenantId, 7),
      six5: await insert(sixMonths.tenantId, 5),
      none13: await insert(null, 13),
      none11: await insert(null, 11),
    };
    const remaining = async () =>
      ((await t.dataSource.query(`SELECT id FROM audit_event WHERE entity_id = $1 ORDER BY id`, [marker])) as { id: string }[]).map((r) => r.id);

    // Outside the purge, DELETE stays refused, even for an old row; so do UPDATE and TRUNCATE.
    const refused = { driverError: { code: '42501' } };
    await expect(t.dataSource.query(`DELETE FROM audit_event WHERE id = $1`, [rows.default13])).rejects.toMatchObject(refused);
    await expect(t.dataSource.query(`UPDATE audit_event SET reason = 'x' WHERE id = $1`, [rows.default13])).rejects.toMatchObject(refused);
    // Declaring the purge does not open recent rows, nor UPDATE, nor TRUNCATE.
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    try {
      for (const sql of [`DELETE FROM audit_event WHERE id = ${Number(rows.default11)}`, `UPDATE audit_event SET reason = 'x' WHERE id = ${Number(rows.default13)}`, `TRUNCATE audit_event`]) {
        await runner.startTransaction();
        await runner.query(`SELECT set_config('passerelle.audit_purge', 'on', true)`);
        await expect(runner.query(sql)).rejects.toMatchObject(refused);
        await runner.rollbackTransaction();
      }
      // The setting is transaction-local: the next transaction on the same connection is refused again.
      await expect(runner.query(`DELETE FROM audit_event WHERE id = $1`, [rows.default13])).rejects.toMatchObject(refused);
    } finally {
      await runner.release();
    }
    expect(await remaining()).toEqual(Object.values(rows));

    // A clock moved far forward does not purge recent rows: the cutoff never passes the database's clock.
    await retention.run(monthsLater(now, 60));
    const report = await retention.run(now);
    expect(await remaining()).toEqual([rows.default11, rows.six5, rows.none11]);
    expect(tenantReport(report, sixMonths.tenantId)).toMatchObject({ auditRetentionMonths: 6, auditEventsPurged: 0 }); // purged by the first run
    const audits = await t.dataSource.query(
      `SELECT tenant_id, reason FROM audit_event WHERE action = 'retention.run' AND (tenant_id = ANY($1::uuid[]) OR tenant_id IS NULL) ORDER BY id`,
      [[byDefault.tenantId, sixMonths.tenantId]],
    );
    expect(audits.slice(-3)).toEqual([
      { tenant_id: byDefault.tenantId, reason: 'persons:0;contacts:0;audit:0' },
      { tenant_id: sixMonths.tenantId, reason: 'persons:0;contacts:0;audit:0' },
      { tenant_id: null, reason: 'persons:0;contacts:0;audit:0' },
    ]);
    expect(audits.filter((a: { reason: string }) => a.reason.endsWith('audit:1')).map((a: { tenant_id: string | null }) => a.tenant_id)).toEqual(
      expect.arrayContaining([byDefault.tenantId, sixMonths.tenantId, null]),
    );
  });
});

describe('retention job on the pg-boss queue (integration)', () => {
  let t: TestApp;
  let jobs: JobQueue;

  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
    jobs = t.app.get(JobQueue);
  });
  afterAll(() => t.close());

  it('registers the daily schedule and works a job sent through the real queue', async () => {
    expect(jobs.started).toBe(true);
    // Other modules schedule jobs too (notification e-mails, orientation reminders).
    expect(await jobs.getSchedules()).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: RETENTION_QUEUE, cron: RETENTION_SCHEDULE.cron, timezone: 'Europe/Paris' })]),
    );
    expect(await t.dataSource.query(`SELECT name, cron, timezone FROM pgboss.schedule WHERE name = 'retention.run'`)).toEqual([
      { name: 'retention.run', cron: '15 3 * * *', timezone: 'Europe/Paris' },
    ]);
    expect(await t.dataSource.query(`SELECT policy, retry_limit FROM pgboss.queue WHERE name = $1`, [RETENTION_QUEUE])).toEqual([{ policy: 'stately', retry_limit: 3 }]);

    // The job reads the database's clock: a file created three years ago is due, one created now is not.
    const structureId = (await t.createStructure()).id;
    const old = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId, usageLastName: 'Ancien' });
    await t.dataSource.query(`UPDATE person SET created_at = now() - interval '3 years' WHERE id = $1`, [old]);
    const fresh = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId, usageLastName: 'Récent' });

    const id = await jobs.send(RETENTION_QUEUE);
    expect(id).toEqual(expect.any(String));
    const deadline = Date.now() + 30_000;
    let job = await jobs.getJob(RETENTION_QUEUE, id as string);
    while (job?.state !== 'completed' && job?.state !== 'failed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = await jobs.getJob(RETENTION_QUEUE, id as string);
    }
    expect(job?.state).toBe('completed');
    const output = job?.output as RetentionReport;
    expect(tenantReport(output, t.tenant.id)).toMatchObject({ personsAnonymized: 1 });
    expect(JSON.stringify(output)).not.toMatch(/Ancien|Récent/);

    const names = await t.dataSource.query(`SELECT id, usage_last_name FROM person WHERE id = ANY($1::uuid[]) ORDER BY usage_last_name`, [[old, fresh]]);
    expect(names).toEqual(
      expect.arrayContaining([
        { id: old, usage_last_name: ANONYMIZED_NAME },
        { id: fresh, usage_last_name: 'Récent' },
      ]),
    );
  });

  it('stops on shutdown: the queue’s connections are closed', async () => {
    const serverConnections = async () => {
      const client = new Client({ connectionString: t.config.DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [
          JOB_QUEUE_APPLICATION_NAME,
        ]);
        return (rows[0] as { n: number }).n;
      } finally {
        await client.end();
      }
    };
    expect(await serverConnections()).toBeGreaterThan(0);
    await jobs.onApplicationShutdown();
    expect(jobs.started).toBe(false);
    // The server notices a closed connection a moment after the client: wait for it, briefly.
    const deadline = Date.now() + 5_000;
    let open = await serverConnections();
    while (open > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await serverConnections();
    }
    expect(open).toBe(0);
  });
});
