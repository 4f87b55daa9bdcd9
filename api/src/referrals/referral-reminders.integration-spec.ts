import { createTestApp, type TestApp } from '../../test/test-app';
import { insertPerson } from '../contacts/testing/reception-fixtures';
import { agentOf, insertReferral, insertStructure, notificationsOf } from '../notifications/testing/notification-fixtures';
import { JobQueue } from '../retention/job-queue.service';
import { TerritoryService } from '../territory/territory.service';
import { REFERRAL_REMINDERS_QUEUE, REFERRAL_REMINDERS_SCHEDULE } from './referral-reminders.job';
import { ReferralRemindersService, type RemindersReport } from './referral-reminders.service';

const DAY = 24 * 3600 * 1000;
const later = (date: Date, days: number, extraMs = 0) => new Date(date.getTime() + days * DAY + extraMs);

interface Party {
  tenantId: string;
  /** The sending structure and its agent. */
  from: string;
  sender: { userId: string; membershipId: string };
  /** The receiving structure and its agents. */
  to: string;
  receivers: string[];
  personId: string;
}

/** A département of its own (the run covers every tenant: each test reads its own tenant's report). */
async function party(t: TestApp, code: string): Promise<Party> {
  const tenantId = (await t.app.get(TerritoryService).ensureTenant(code)).id;
  const from = await insertStructure(t.dataSource, tenantId, `CCAS ${code}`);
  const to = await insertStructure(t.dataSource, tenantId, `France Services ${code}`);
  const sender = await agentOf(t, 'reception_agent', from, tenantId);
  await agentOf(t, 'social_worker', from, tenantId); // a colleague of the sender: not notified while the sender is there
  const receivers = [(await agentOf(t, 'reception_agent', to, tenantId)).userId, (await agentOf(t, 'social_worker', to, tenantId)).userId].sort();
  await agentOf(t, 'coordinator', to, tenantId); // coordinators are not notified
  const personId = await insertPerson(t.dataSource, { tenantId, structureId: from, usageLastName: 'Durand' });
  return { tenantId, from, sender, to, receivers, personId };
}

function tenantReport(report: RemindersReport, tenantId: string) {
  const found = report.tenants.find((r) => r.tenantId === tenantId);
  if (!found) throw new Error(`no report for tenant ${tenantId}`);
  return found;
}

describe('referral reminders and expiry (integration, moved clock)', () => {
  let t: TestApp;
  let reminders: ReferralRemindersService;
  let now: Date;

  beforeAll(async () => {
    t = await createTestApp();
    reminders = t.app.get(ReferralRemindersService);
    [{ now }] = await t.dataSource.query(`SELECT now() AS now`);
  });
  afterAll(() => t.close());

  const send = (p: Party, extra: { sentAt?: Date; status?: 'sent' | 'received' | 'accepted' | 'cancelled' } = {}) =>
    insertReferral(t.dataSource, { tenantId: p.tenantId, personId: p.personId, fromStructureId: p.from, fromUserId: p.sender.userId, toStructureId: p.to, sentAt: now, ...extra });
  const flags = async (id: string) =>
    (await t.dataSource.query(`SELECT status, reminded_at, expired_at FROM referral WHERE id = $1`, [id]))[0] as {
      status: string;
      reminded_at: Date | null;
      expired_at: Date | null;
    };
  const events = async (id: string) =>
    t.dataSource.query(`SELECT status, at, user_id, structure_id FROM referral_event WHERE referral_id = $1 AND status IN ('reminded','expired') ORDER BY id`, [id]);
  /** Every row the runs may write for the tenant. */
  const snapshot = async (tenantId: string) =>
    t.dataSource.query(
      `SELECT (SELECT json_agg(r ORDER BY r.id) FROM referral r WHERE r.tenant_id = $1) AS referrals,
              (SELECT count(*)::int FROM referral_event WHERE tenant_id = $1) AS events,
              (SELECT count(*)::int FROM notification WHERE tenant_id = $1) AS notifications,
              (SELECT count(*)::int FROM audit_event WHERE tenant_id = $1) AS audits`,
      [tenantId],
    );

  it('reminds at 10 days (not at 9), once; expires at 30 days, once — the receiver is notified, then the sender too', async () => {
    const p = await party(t, '04');
    const id = await send(p);

    const at9 = await reminders.run(later(now, 9));
    expect(tenantReport(at9, p.tenantId)).toEqual({ tenantId: p.tenantId, reminderDays: 10, expiryDays: 30, reminded: 0, expired: 0 });
    expect(await flags(id)).toEqual({ status: 'sent', reminded_at: null, expired_at: null });
    expect(await notificationsOf(t.dataSource, id)).toEqual([]);

    const clock10 = later(now, 10, 60_000);
    const at10 = await reminders.run(clock10);
    expect(tenantReport(at10, p.tenantId)).toMatchObject({ reminded: 1, expired: 0 });
    expect(await flags(id)).toEqual({ status: 'sent', reminded_at: clock10, expired_at: null });
    expect(await events(id)).toEqual([{ status: 'reminded', at: clock10, user_id: null, structure_id: null }]);
    expect(await notificationsOf(t.dataSource, id)).toEqual(p.receivers.map((user_id) => ({ user_id, kind: 'referral_reminder', detail: null })));
    const [reminder] = await t.dataSource.query(`SELECT from_structure_id, to_structure_id, email_status FROM notification WHERE entity_id = $1`, [id]);
    expect(reminder).toEqual({ from_structure_id: p.from, to_structure_id: p.to, email_status: 'pending' });
    const [audit] = await t.dataSource.query(
      `SELECT action, outcome, entity_id, reason, user_id FROM audit_event WHERE tenant_id = $1 AND action = 'referral.reminders.run' ORDER BY id DESC LIMIT 1`,
      [p.tenantId],
    );
    expect(audit).toEqual({ action: 'referral.reminders.run', outcome: 'success', entity_id: p.tenantId, reason: 'reminded:1;expired:0', user_id: null });

    // Idempotent: the same clock, or a later one before the expiry, changes nothing.
    const before = await snapshot(p.tenantId);
    expect(tenantReport(await reminders.run(clock10), p.tenantId)).toMatchObject({ reminded: 0, expired: 0 });
    expect(tenantReport(await reminders.run(later(now, 29)), p.tenantId)).toMatchObject({ reminded: 0, expired: 0 });
    expect(await snapshot(p.tenantId)).toEqual(before);

    const clock30 = later(now, 30, 60_000);
    const at30 = await reminders.run(clock30);
    expect(tenantReport(at30, p.tenantId)).toMatchObject({ reminded: 0, expired: 1 });
    // A flag, not a status: still "sent".
    expect(await flags(id)).toEqual({ status: 'sent', reminded_at: clock10, expired_at: clock30 });
    expect((await events(id)).map((e: { status: string; at: Date }) => [e.status, e.at])).toEqual([
      ['reminded', clock10],
      ['expired', clock30],
    ]);
    const expired = (await notificationsOf(t.dataSource, id)).filter((n) => n.kind === 'referral_expired');
    expect(expired.map((n) => n.user_id).sort()).toEqual([...p.receivers, p.sender.userId].sort());
    const [toSender] = await t.dataSource.query(`SELECT from_structure_id, to_structure_id FROM notification WHERE entity_id = $1 AND user_id = $2`, [
      id,
      p.sender.userId,
    ]);
    expect(toSender).toEqual({ from_structure_id: p.to, to_structure_id: p.from });

    const afterExpiry = await snapshot(p.tenantId);
    expect(tenantReport(await reminders.run(later(now, 60)), p.tenantId)).toMatchObject({ reminded: 0, expired: 0 });
    expect(await snapshot(p.tenantId)).toEqual(afterExpiry);

    // The receiver may still answer an expired orientation (the state machine does not know the flag).
    await t.dataSource.query(`UPDATE referral SET status = 'accepted', received_at = now(), answered_at = now() WHERE id = $1`, [id]);
    expect(await flags(id)).toMatchObject({ status: 'accepted', expired_at: clock30 });
  });

  it('never reminds an answered or cancelled orientation; one answered after its reminder is not expired', async () => {
    const p = await party(t, '06');
    const accepted = await send(p, { status: 'accepted', sentAt: later(now, -40) });
    const cancelled = await send(p, { status: 'cancelled', sentAt: later(now, -40) });
    const received = await send(p, { status: 'received' });
    const answeredLate = await send(p);

    const at10 = await reminders.run(later(now, 10, 60_000));
    expect(tenantReport(at10, p.tenantId)).toMatchObject({ reminded: 2, expired: 0 }); // received + answeredLate
    expect(await flags(received)).toMatchObject({ reminded_at: expect.any(Date) });
    for (const id of [accepted, cancelled]) {
      expect(await flags(id)).toMatchObject({ reminded_at: null, expired_at: null });
      expect(await notificationsOf(t.dataSource, id)).toEqual([]);
    }

    await t.dataSource.query(`UPDATE referral SET status = 'refused', refusal_reason = 'out_of_zone', answered_at = now() WHERE id = $1`, [answeredLate]);
    const at30 = await reminders.run(later(now, 30, 60_000));
    expect(tenantReport(at30, p.tenantId)).toMatchObject({ reminded: 0, expired: 1 }); // received only
    expect(await flags(answeredLate)).toMatchObject({ status: 'refused', expired_at: null });
    expect(await flags(received)).toMatchObject({ expired_at: expect.any(Date) });
  });

  it('honours each tenant’s delays (UPDATE tenant), and expires without a belated reminder what is already past expiry', async () => {
    const quick = await party(t, '13');
    await t.dataSource.query(`UPDATE tenant SET referral_reminder_days = 3, referral_expiry_days = 7 WHERE id = $1`, [quick.tenantId]);
    const usual = await party(t, '38');
    const inQuick = await send(quick);
    const inUsual = await send(usual);

    const at3 = await reminders.run(later(now, 3, 60_000));
    expect(tenantReport(at3, quick.tenantId)).toMatchObject({ reminderDays: 3, expiryDays: 7, reminded: 1, expired: 0 });
    expect(tenantReport(at3, usual.tenantId)).toMatchObject({ reminderDays: 10, expiryDays: 30, reminded: 0, expired: 0 });
    const at7 = await reminders.run(later(now, 7, 60_000));
    expect(tenantReport(at7, quick.tenantId)).toMatchObject({ reminded: 0, expired: 1 });
    expect(await flags(inQuick)).toMatchObject({ reminded_at: expect.any(Date), expired_at: expect.any(Date) });
    expect(await flags(inUsual)).toMatchObject({ reminded_at: null, expired_at: null });

    // Already 40 days old when first seen (jobs were off): expired, not reminded.
    const old = await send(usual, { sentAt: later(now, -40) });
    const report = await reminders.run(now);
    expect(tenantReport(report, usual.tenantId)).toMatchObject({ reminded: 0, expired: 1 });
    expect(await flags(old)).toMatchObject({ reminded_at: null, expired_at: now });
    expect((await notificationsOf(t.dataSource, old)).map((n) => n.kind)).not.toContain('referral_reminder');

    // The delays stay sane.
    for (const [reminder, expiry] of [
      [0, 30],
      [10, 10],
      [91, 120],
    ]) {
      await expect(
        t.dataSource.query(`UPDATE tenant SET referral_reminder_days = $2, referral_expiry_days = $3 WHERE id = $1`, [quick.tenantId, reminder, expiry]),
      ).rejects.toMatchObject({ driverError: { code: '23514' } });
    }
  });

  it('works in batches; notifies the sender’s structure when the sender has left', async () => {
    const p = await party(t, '69');
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push(await send(p));
    const report = await reminders.run(later(now, 30, 60_000), { batchSize: 2 });
    expect(tenantReport(report, p.tenantId)).toMatchObject({ reminded: 0, expired: 5 });

    await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE id = $1`, [p.sender.membershipId]);
    const orphan = await send(p);
    await reminders.run(later(now, 30, 60_000));
    const toSenderSide = (await t.dataSource.query(`SELECT user_id, to_structure_id FROM notification WHERE entity_id = $1 AND to_structure_id = $2`, [
      orphan,
      p.from,
    ])) as { user_id: string }[];
    expect(toSenderSide).toHaveLength(1); // the sender's colleague
    expect(toSenderSide[0].user_id).not.toBe(p.sender.userId);
  });
});

describe('referral reminders on the pg-boss queue (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
  });
  afterAll(() => t.close());

  it('registers the weekday 08:00 schedule and works a job sent through the real queue, on the database’s clock', async () => {
    const jobs = t.app.get(JobQueue);
    expect(await jobs.getSchedules()).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: REFERRAL_REMINDERS_QUEUE, cron: REFERRAL_REMINDERS_SCHEDULE.cron, timezone: 'Europe/Paris' })]),
    );
    expect(await t.dataSource.query(`SELECT policy, retry_limit FROM pgboss.queue WHERE name = $1`, [REFERRAL_REMINDERS_QUEUE])).toEqual([
      { policy: 'stately', retry_limit: 3 },
    ]);

    const from = (await t.createStructure()).id;
    const to = (await t.createStructure()).id;
    const sender = await agentOf(t, 'reception_agent', from);
    const receiver = await agentOf(t, 'social_worker', to);
    const personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: from });
    const base = { tenantId: t.tenant.id, personId, fromStructureId: from, fromUserId: sender.userId, toStructureId: to };
    const [{ old, fresh }] = await t.dataSource.query(`SELECT now() - interval '11 days' AS old, now() - interval '2 days' AS fresh`);
    const due = await insertReferral(t.dataSource, { ...base, sentAt: old });
    const notDue = await insertReferral(t.dataSource, { ...base, sentAt: fresh });

    const id = await jobs.send(REFERRAL_REMINDERS_QUEUE);
    expect(id).toEqual(expect.any(String));
    const deadline = Date.now() + 30_000;
    let job = await jobs.getJob(REFERRAL_REMINDERS_QUEUE, id as string);
    while (job?.state !== 'completed' && job?.state !== 'failed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = await jobs.getJob(REFERRAL_REMINDERS_QUEUE, id as string);
    }
    expect(job?.state).toBe('completed');
    expect(tenantReport(job?.output as RemindersReport, t.tenant.id)).toMatchObject({ reminded: 1, expired: 0 });
    expect(JSON.stringify(job?.output)).not.toMatch(/Durand|Nom-/);

    const flagged = await t.dataSource.query(`SELECT id, reminded_at IS NOT NULL AS reminded FROM referral WHERE id = ANY($1::uuid[]) ORDER BY sent_at`, [[due, notDue]]);
    expect(flagged).toEqual([
      { id: due, reminded: true },
      { id: notDue, reminded: false },
    ]);
    expect(await notificationsOf(t.dataSource, due)).toEqual([{ user_id: receiver.userId, kind: 'referral_reminder', detail: null }]);
  });
});
