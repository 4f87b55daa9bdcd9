import { Logger } from '@nestjs/common';
import type { AppNotification } from '@passerelle/contracts';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createTestApp, type TestApp } from '../../test/test-app';
import { insertPerson } from '../contacts/testing/reception-fixtures';
import { JobQueue } from '../retention/job-queue.service';
import { NOTIFICATION_EMAIL_QUEUE, NOTIFICATION_EMAIL_SCHEDULE } from './notification-email.job';
import { NOTIFICATION_EMAIL_MAX_ATTEMPTS, NotificationEmailSender } from './notification-email.sender';
import { NotificationEvents } from './notification-events';
import { NotificationsService, type NotifyInput } from './notifications.service';
import { agentOf, insertHandoff, insertReferral, notificationsOf } from './testing/notification-fixtures';

const PUBLIC_URL = 'https://passerelle.test';

interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server on a free local port, keeping what it receives; refuses the recipients in `rejected`. */
async function startSmtpServer(): Promise<{ url: string; received: ReceivedMail[]; rejected: Set<string>; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const rejected = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!rejected.has(address.address)) return callback();
      const error = Object.assign(new Error(`<${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 });
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, rejected, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The decoded subject and text of a raw single-part message (quoted-printable or base64, RFC 2047 subject). */
function decode(raw: string): { subject: string; text: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subjectLine = /^Subject: (.*)$/im.exec(headers)?.[1] ?? '';
  const subject = subjectLine
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : qp(data.replace(/_/g, ' ')),
    );
  const body = rest.join('\n\n');
  const encoding = /^Content-Transfer-Encoding: (.*)$/im.exec(headers)?.[1]?.trim().toLowerCase();
  const text = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : encoding === 'quoted-printable' ? qp(body) : body;
  return { subject, text: text.replace(/\r\n/g, '\n') };
}

function qp(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await probe();
  }
  return value;
}

const sorted = (ids: string[]) => [...ids].sort();

describe('notifications (integration)', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let notifications: NotificationsService;
  let events: NotificationEvents;
  let sender: NotificationEmailSender;

  /** Structure A receives; structure B sends. Agents of A of every role, a deactivated one, a coordinator. */
  let a: string;
  let b: string;
  let aReception: { userId: string; email: string; membershipId: string };
  let aWorker: { userId: string; email: string; membershipId: string };
  let aAdmin: { userId: string; email: string; membershipId: string };
  let aCoordinator: { userId: string; email: string; membershipId: string };
  let aGone: { userId: string; email: string; membershipId: string };
  let bSender: { userId: string; email: string; membershipId: string };
  let personId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ MAIL_SMTP_URL: smtp.url, PUBLIC_URL });
    notifications = t.app.get(NotificationsService);
    events = t.app.get(NotificationEvents);
    sender = t.app.get(NotificationEmailSender);
    a = (await t.createStructure({ name: 'Maison France Services de Chorges' })).id;
    b = (await t.createStructure({ name: 'CCAS de Gap' })).id;
    aReception = await agentOf(t, 'reception_agent', a);
    aWorker = await agentOf(t, 'social_worker', a);
    aAdmin = await agentOf(t, 'structure_admin', a);
    aCoordinator = await agentOf(t, 'coordinator', a);
    aGone = await agentOf(t, 'social_worker', a);
    await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE id = $1`, [aGone.membershipId]);
    bSender = await agentOf(t, 'reception_agent', b);
    personId = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId: b, usageLastName: 'Durand', firstNames: 'Lucie' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const receivers = () => sorted([aReception.userId, aWorker.userId, aAdmin.userId]);
  /** notify() in a transaction of its own; a referral_received about a random entity unless told otherwise. */
  const notify = (input: Partial<NotifyInput> & Pick<NotifyInput, 'to'>) =>
    t.dataSource.transaction((manager) =>
      notifications.notify(manager, { tenantId: t.tenant.id, kind: 'referral_received', entityType: 'referral', entityId: randomUUID(), ...input }),
    );

  describe('notify', () => {
    it('fans out to the structure’s active reception agents, social workers and admins — not a deactivated one, not a coordinator, not the actor', async () => {
      const actor = await agentOf(t, 'social_worker', a);
      const entityId = randomUUID();
      const notified = await notify({ entityId, fromStructureId: b, detail: null, to: { structureId: a }, actorUserId: actor.userId });
      expect(sorted(notified)).toEqual(receivers());
      const rows = await t.dataSource.query(
        `SELECT user_id, kind, entity_type, from_structure_id, to_structure_id, email_status, read_at FROM notification WHERE entity_id = $1 ORDER BY user_id`,
        [entityId],
      );
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row).toMatchObject({ kind: 'referral_received', entity_type: 'referral', from_structure_id: b, to_structure_id: a, email_status: 'pending', read_at: null });
      }
      expect(rows.map((r: { user_id: string }) => r.user_id)).not.toContain(aCoordinator.userId);
      expect(rows.map((r: { user_id: string }) => r.user_id)).not.toContain(aGone.userId);
      expect(rows.map((r: { user_id: string }) => r.user_id)).not.toContain(actor.userId);
      await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE user_id = $1`, [actor.userId]); // out of the next tests' way
    });

    it('writes in the caller’s transaction: a change rolled back notifies nobody', async () => {
      const entityId = randomUUID();
      await expect(
        t.dataSource.transaction(async (manager) => {
          await notifications.notify(manager, { tenantId: t.tenant.id, kind: 'referral_received', entityType: 'referral', entityId, to: { structureId: a } });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await notificationsOf(t.dataSource, entityId)).toEqual([]);
    });

    it('notifies named users as members of a structure, falling back to the structure when they left it', async () => {
      const c = (await t.createStructure()).id;
      const cAgent = await agentOf(t, 'reception_agent', c);
      const leaver = await agentOf(t, 'social_worker', c);
      await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE id = $1`, [leaver.membershipId]);

      expect(await notify({ to: { userIds: [cAgent.userId], memberOf: c } })).toEqual([cAgent.userId]);
      // Not a member of that structure: nobody (no fallback asked), or the structure (asked).
      expect(await notify({ to: { userIds: [aWorker.userId], memberOf: c } })).toEqual([]);
      expect(await notify({ to: { userIds: [leaver.userId], memberOf: c } })).toEqual([]);
      expect(await notify({ to: { userIds: [leaver.userId], memberOf: c, orElseStructure: true } })).toEqual([cAgent.userId]);
      // The actor is still a member: not notified, and no fallback either.
      expect(await notify({ to: { userIds: [cAgent.userId], memberOf: c, orElseStructure: true }, actorUserId: cAgent.userId })).toEqual([]);
    });
  });

  describe('events of orientations and handoffs', () => {
    it('a new orientation → the receiving structure; a step → the sender (not for "received"); a réorientation → the new structure too', async () => {
      const referralId = await insertReferral(t.dataSource, { tenantId: t.tenant.id, personId, fromStructureId: b, fromUserId: bSender.userId, toStructureId: a });
      const run = (hook: 'referralSent' | 'referralStatusChanged', id: string, actorUserId: string) =>
        t.dataSource.transaction((manager) => events[hook](manager, { tenantId: t.tenant.id, actorUserId, referralId: id }));

      await run('referralSent', referralId, bSender.userId);
      expect(await notificationsOf(t.dataSource, referralId)).toEqual(receivers().map((user_id) => ({ user_id, kind: 'referral_received', detail: null })));

      await t.dataSource.query(`UPDATE referral SET status = 'received', received_at = now() WHERE id = $1`, [referralId]);
      await run('referralStatusChanged', referralId, aWorker.userId);
      expect(await notificationsOf(t.dataSource, referralId)).toHaveLength(3);

      await t.dataSource.query(`UPDATE referral SET status = 'accepted', answered_at = now() WHERE id = $1`, [referralId]);
      await run('referralStatusChanged', referralId, aWorker.userId);
      const [status] = await t.dataSource.query(`SELECT user_id, detail, from_structure_id, to_structure_id FROM notification WHERE entity_id = $1 AND kind = 'referral_status'`, [
        referralId,
      ]);
      expect(status).toEqual({ user_id: bSender.userId, detail: 'accepted', from_structure_id: a, to_structure_id: b });

      // Redirected to C: the sender hears of it, C of the new orientation.
      const c = (await t.createStructure()).id;
      const cAgent = await agentOf(t, 'social_worker', c);
      const redirected = await insertReferral(t.dataSource, { tenantId: t.tenant.id, personId, fromStructureId: b, fromUserId: bSender.userId, toStructureId: a });
      await t.dataSource.query(`UPDATE referral SET status = 'redirected', redirected_to_structure_id = $2, answered_at = now() WHERE id = $1`, [redirected, c]);
      const child = await insertReferral(t.dataSource, {
        tenantId: t.tenant.id,
        personId,
        fromStructureId: a,
        fromUserId: aWorker.userId,
        toStructureId: c,
        parentReferralId: redirected,
      });
      await run('referralStatusChanged', redirected, aWorker.userId);
      expect(await notificationsOf(t.dataSource, redirected)).toEqual([{ user_id: bSender.userId, kind: 'referral_status', detail: 'redirected' }]);
      expect(await notificationsOf(t.dataSource, child)).toEqual([{ user_id: cAgent.userId, kind: 'referral_received', detail: null }]);

      // The sender left B: B's agents hear of the next step instead.
      const bColleague = await agentOf(t, 'social_worker', b);
      await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE id = $1`, [bSender.membershipId]);
      try {
        const third = await insertReferral(t.dataSource, { tenantId: t.tenant.id, personId, fromStructureId: b, fromUserId: bSender.userId, toStructureId: a });
        await t.dataSource.query(`UPDATE referral SET status = 'accepted', answered_at = now() WHERE id = $1`, [third]);
        await run('referralStatusChanged', third, aWorker.userId);
        expect(await notificationsOf(t.dataSource, third)).toEqual([{ user_id: bColleague.userId, kind: 'referral_status', detail: 'accepted' }]);
      } finally {
        await t.dataSource.query(`UPDATE membership SET deactivated_at = NULL WHERE id = $1`, [bSender.membershipId]);
      }
    });

    it('a handoff proposed → its receiver; accepted or declined → its sender; cancelled → its receiver', async () => {
      const run = (hook: 'handoffProposed' | 'handoffAnswered', handoffId: string, actorUserId: string) =>
        t.dataSource.transaction((manager) => events[hook](manager, { tenantId: t.tenant.id, actorUserId, handoffId }));
      const handoff = () => insertHandoff(t.dataSource, { tenantId: t.tenant.id, personId, fromStructureId: b, fromUserId: bSender.userId, toStructureId: a, toUserId: aWorker.userId });

      const accepted = await handoff();
      await run('handoffProposed', accepted, bSender.userId);
      expect(await notificationsOf(t.dataSource, accepted)).toEqual([{ user_id: aWorker.userId, kind: 'handoff_proposed', detail: null }]);
      await run('handoffAnswered', accepted, aWorker.userId); // still proposed: nothing
      await t.dataSource.query(`UPDATE handoff SET status = 'accepted', answered_at = now(), answered_by_user_id = $2 WHERE id = $1`, [accepted, aWorker.userId]);
      await run('handoffAnswered', accepted, aWorker.userId);
      expect(await notificationsOf(t.dataSource, accepted)).toEqual([
        { user_id: bSender.userId, kind: 'handoff_answered', detail: 'accepted' },
        { user_id: aWorker.userId, kind: 'handoff_proposed', detail: null },
      ]);

      const declined = await handoff();
      await t.dataSource.query(`UPDATE handoff SET status = 'declined', decline_reason = 'Pas de place', answered_at = now() WHERE id = $1`, [declined]);
      await run('handoffAnswered', declined, aWorker.userId);
      expect(await notificationsOf(t.dataSource, declined)).toEqual([{ user_id: bSender.userId, kind: 'handoff_answered', detail: 'declined' }]);

      const cancelled = await handoff();
      await t.dataSource.query(`UPDATE handoff SET status = 'cancelled', answered_at = now() WHERE id = $1`, [cancelled]);
      await run('handoffAnswered', cancelled, bSender.userId);
      expect(await notificationsOf(t.dataSource, cancelled)).toEqual([{ user_id: aWorker.userId, kind: 'handoff_answered', detail: 'cancelled' }]);
    });

    it('services to check → the structure’s admins, not again while the previous one is unread', async () => {
      const run = () => t.dataSource.transaction((manager) => events.servicesStale(manager, { tenantId: t.tenant.id, actorUserId: null, structureId: a }));
      await run();
      await run();
      expect(await notificationsOf(t.dataSource, a)).toEqual([{ user_id: aAdmin.userId, kind: 'services_stale', detail: null }]);
      await t.dataSource.query(`UPDATE notification SET read_at = now() WHERE entity_id = $1`, [a]);
      await run();
      expect(await notificationsOf(t.dataSource, a)).toHaveLength(2);
    });
  });

  describe('wired into the orientations and handoffs services', () => {
    it('sending, answering an orientation and proposing, accepting a handoff through the API notify the other side', async () => {
      const sender = await t.login(bSender.email);
      const created = await sender.post('/api/referrals', { clientRequestId: randomUUID(), personId, toStructureId: a, bouquet: 14, categories: [] });
      expect(created.status).toBe(201);
      const referralId = created.body.id as string;
      expect(await notificationsOf(t.dataSource, referralId)).toEqual(receivers().map((user_id) => ({ user_id, kind: 'referral_received', detail: null })));

      const worker = await t.login(aWorker.email);
      expect((await worker.get(`/api/referrals/${referralId}`)).status).toBe(200); // opened: "received", nobody notified
      expect(await notificationsOf(t.dataSource, referralId)).toHaveLength(3);
      expect((await worker.post(`/api/referrals/${referralId}/status`, { status: 'accepted' })).status).toBe(200);
      expect((await notificationsOf(t.dataSource, referralId)).filter((n) => n.kind === 'referral_status')).toEqual([
        { user_id: bSender.userId, kind: 'referral_status', detail: 'accepted' },
      ]);

      // A handoff inside the sender's structure (no consent needed), accepted.
      const colleague = await agentOf(t, 'social_worker', b);
      const proposed = await sender.post('/api/handoffs', { clientRequestId: randomUUID(), personId, toUserId: colleague.userId, note: 'Suivi budget, confidentiel' });
      expect(proposed.status).toBe(201);
      const handoffId = proposed.body.id as string;
      expect(await notificationsOf(t.dataSource, handoffId)).toEqual([{ user_id: colleague.userId, kind: 'handoff_proposed', detail: null }]);
      const accepted = await (await t.login(colleague.email)).post(`/api/handoffs/${handoffId}/answer`, { decision: 'accept' });
      expect(accepted.status).toBe(200);
      expect((await notificationsOf(t.dataSource, handoffId)).filter((n) => n.kind === 'handoff_answered')).toEqual([
        { user_id: bSender.userId, kind: 'handoff_answered', detail: 'accepted' },
      ]);
      await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE id = $1`, [colleague.membershipId]); // out of the next tests' way
    });
  });

  describe('routes', () => {
    it('lists the caller’s own notifications, newest first, with the structures named; counts, marks read one or all; 404 for another’s', async () => {
      const c = (await t.createStructure({ name: 'Mission locale' })).id;
      const mine = await agentOf(t, 'reception_agent', c);
      const other = await agentOf(t, 'social_worker', c);
      const me = await t.login(mine.email);
      const them = await t.login(other.email);
      const first = randomUUID();
      const second = randomUUID();
      await notify({ entityId: first, fromStructureId: b, to: { structureId: c } });
      await notify({ entityId: second, kind: 'referral_reminder', fromStructureId: b, to: { userIds: [mine.userId], memberOf: c } });
      await t.dataSource.query(`UPDATE notification SET created_at = created_at - interval '1 minute' WHERE entity_id = $1`, [first]);

      const list = await me.get('/api/notifications');
      expect(list.status).toBe(200);
      const items = list.body as AppNotification[];
      expect(items.map((n) => n.entityId)).toEqual([second, first]);
      expect(items[1]).toEqual({
        id: expect.any(String),
        kind: 'referral_received',
        entityType: 'referral',
        entityId: first,
        fromStructureName: 'CCAS de Gap',
        toStructureId: c,
        toStructureName: 'Mission locale',
        detail: null,
        createdAt: expect.any(String),
        readAt: null,
      });
      expect((await me.get('/api/notifications/summary')).body).toEqual({ unread: 2 });
      expect(((await them.get('/api/notifications')).body as AppNotification[]).map((n) => n.entityId)).toEqual([first]);

      // Another's notification: 404, and it stays unread.
      const notFound = await them.post(`/api/notifications/${items[0].id}/read`);
      expect(notFound.status).toBe(404);
      expect(notFound.body.code).toBe('NOT_FOUND');
      expect((await me.get('/api/notifications/summary')).body).toEqual({ unread: 2 });

      const read = await me.post(`/api/notifications/${items[0].id}/read`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: items[0].id, readAt: expect.any(String) });
      const again = await me.post(`/api/notifications/${items[0].id}/read`);
      expect(again.body.readAt).toBe(read.body.readAt);
      expect((await me.get('/api/notifications/summary')).body).toEqual({ unread: 1 });
      expect(((await me.get('/api/notifications?unreadOnly=true')).body as AppNotification[]).map((n) => n.entityId)).toEqual([first]);
      expect(((await me.get('/api/notifications?unreadOnly=false')).body as AppNotification[])).toHaveLength(2);

      const all = await me.post('/api/notifications/read-all');
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ unread: 0 });
      expect((await them.get('/api/notifications/summary')).body).toEqual({ unread: 1 });

      // Bad input, other roles, no session.
      expect((await me.get('/api/notifications?unreadOnly=maybe')).status).toBe(400);
      expect((await me.post('/api/notifications/not-a-uuid/read')).status).toBe(400);
      expect((await me.post(`/api/notifications/${randomUUID()}/read`)).status).toBe(404);
      const platform = await t.signIn('platform_admin');
      expect((await platform.get('/api/notifications/summary')).status).toBe(403);
      expect((await t.http().get('/api/notifications')).status).toBe(401);
      expect((await t.http().post('/api/notifications/read-all')).status).toBe(401);
    });
  });

  describe('e-mail, through a real SMTP server', () => {
    let logged: string[];
    let spies: jest.SpyInstance[];

    beforeEach(async () => {
      // Earlier tests left pending notifications: out of the way.
      await t.dataSource.query(`UPDATE notification SET email_status = 'skipped' WHERE email_status = 'pending'`);
      smtp.received.length = 0;
      logged = [];
      spies = (['log', 'warn', 'error', 'debug', 'verbose'] as const).map((level) =>
        jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' '))),
      );
    });
    afterEach(() => spies.forEach((spy) => spy.mockRestore()));

    it('sends after commit, one message per recipient, naming the kind only, with the link — no name, no message', async () => {
      const message = 'Mme Durand est hébergée chez sa sœur, loyer impayé depuis mars.';
      const referralId = await insertReferral(t.dataSource, { tenantId: t.tenant.id, personId, fromStructureId: b, fromUserId: bSender.userId, toStructureId: a, message });
      await t.dataSource.transaction((manager) => events.referralSent(manager, { tenantId: t.tenant.id, actorUserId: bSender.userId, referralId }));

      const report = await sender.run();
      expect(report).toEqual({ emails: 3, sent: 3, skipped: 0, retried: 0, failed: 0 });
      expect(smtp.received.map((m) => m.to).flat().sort()).toEqual([aReception.email, aWorker.email, aAdmin.email].map((e) => e.toLowerCase()).sort());
      for (const mail of smtp.received) {
        const { subject, text } = decode(mail.raw);
        expect(subject).toBe('Passerelle — une nouvelle orientation vous attend');
        expect(text).toContain(`${PUBLIC_URL}/notifications`);
        expect(text).toContain('une nouvelle orientation');
        for (const secret of ['Durand', 'Lucie', 'hébergée', 'loyer', 'CCAS de Gap', 'Chorges', referralId, personId]) {
          expect(mail.raw).not.toContain(secret);
          expect(text).not.toContain(secret);
          expect(subject).not.toContain(secret);
        }
      }
      const rows = await t.dataSource.query(`SELECT email_status, emailed_at IS NOT NULL AS emailed, email_attempts FROM notification WHERE entity_id = $1`, [referralId]);
      expect(rows).toEqual(Array(3).fill({ email_status: 'sent', emailed: true, email_attempts: 1 }));

      // Sent once: the next run has nothing to do.
      expect(await sender.run()).toEqual({ emails: 0, sent: 0, skipped: 0, retried: 0, failed: 0 });
      expect(smtp.received).toHaveLength(3);
      expect(logged.join('\n')).not.toMatch(/@test\.passerelle\.fr/);
    });

    it('gathers a recipient’s notifications in one message; skips those already read and recipients who left', async () => {
      const c = (await t.createStructure()).id;
      const busy = await agentOf(t, 'social_worker', c);
      const reader = await agentOf(t, 'social_worker', c);
      const leaver = await agentOf(t, 'social_worker', c);
      await notify({ kind: 'referral_reminder', to: { userIds: [busy.userId], memberOf: c } });
      await notify({ kind: 'referral_reminder', to: { userIds: [busy.userId], memberOf: c } });
      await notify({ kind: 'handoff_proposed', entityType: 'handoff', to: { userIds: [busy.userId, reader.userId, leaver.userId], memberOf: c } });
      await t.dataSource.query(`UPDATE notification SET read_at = now() WHERE user_id = $1`, [reader.userId]);
      await t.dataSource.query(`UPDATE membership SET deactivated_at = now() WHERE id = $1`, [leaver.membershipId]);

      expect(await sender.run()).toEqual({ emails: 1, sent: 3, skipped: 2, retried: 0, failed: 0 });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0].to).toEqual([busy.email.toLowerCase()]);
      const { subject, text } = decode(smtp.received[0].raw);
      expect(subject).toBe('Passerelle — 3 notifications vous attendent');
      expect(text).toContain('- 2 orientations attendent toujours une réponse');
      expect(text).toContain('- un passage de relais vous est proposé');
      const statuses = await t.dataSource.query(`SELECT user_id, email_status FROM notification WHERE user_id = ANY($1::uuid[]) ORDER BY email_status`, [
        [reader.userId, leaver.userId],
      ]);
      expect(statuses.map((s: { email_status: string }) => s.email_status)).toEqual(['skipped', 'skipped']);
    });

    it('a refused recipient is retried later, then given up after the last attempt — never a crash, never the address in the logs', async () => {
      const c = (await t.createStructure()).id;
      const refused = await agentOf(t, 'social_worker', c);
      smtp.rejected.add(refused.email.toLowerCase());
      const entityId = randomUUID();
      await notify({ entityId, to: { userIds: [refused.userId], memberOf: c } });

      expect(await sender.run()).toEqual({ emails: 0, sent: 0, skipped: 0, retried: 1, failed: 0 });
      const state = () =>
        t.dataSource.query(
          `SELECT email_status, email_attempts, email_next_attempt_at > now() AS later, emailed_at FROM notification WHERE entity_id = $1`,
          [entityId],
        );
      expect(await state()).toEqual([{ email_status: 'pending', email_attempts: 1, later: true, emailed_at: null }]);
      // Not due yet: the next run leaves it alone.
      expect(await sender.run()).toEqual({ emails: 0, sent: 0, skipped: 0, retried: 0, failed: 0 });

      // The back-off over, on its last attempt: failed for good.
      await t.dataSource.query(`UPDATE notification SET email_attempts = $2, email_next_attempt_at = now() WHERE entity_id = $1`, [
        entityId,
        NOTIFICATION_EMAIL_MAX_ATTEMPTS - 1,
      ]);
      expect(await sender.run()).toEqual({ emails: 0, sent: 0, skipped: 0, retried: 0, failed: 1 });
      expect(await state()).toEqual([{ email_status: 'failed', email_attempts: NOTIFICATION_EMAIL_MAX_ATTEMPTS, later: null, emailed_at: null }]);
      expect(smtp.received).toHaveLength(0);

      expect(logged.some((line) => line.includes('not sent'))).toBe(true);
      expect(logged.some((line) => line.includes('Recipient address rejected'))).toBe(true);
      expect(logged.join('\n')).not.toContain(refused.email.toLowerCase());
      expect(logged.join('\n')).not.toMatch(/@test\.passerelle\.fr/);
      smtp.rejected.clear();
    });

    it('a notification left claimed by a worker that stopped is sent once its lease is over; a stale one is skipped', async () => {
      const c = (await t.createStructure()).id;
      const agent = await agentOf(t, 'reception_agent', c);
      const leased = randomUUID();
      const stale = randomUUID();
      await notify({ entityId: leased, to: { userIds: [agent.userId], memberOf: c } });
      await notify({ entityId: stale, to: { userIds: [agent.userId], memberOf: c } });
      await t.dataSource.query(`UPDATE notification SET email_attempts = 1, email_next_attempt_at = now() + interval '5 minutes' WHERE entity_id = $1`, [leased]);
      await t.dataSource.query(`UPDATE notification SET created_at = now() - interval '4 days' WHERE entity_id = $1`, [stale]);

      expect(await sender.run()).toEqual({ emails: 0, sent: 0, skipped: 1, retried: 0, failed: 0 });
      await t.dataSource.query(`UPDATE notification SET email_next_attempt_at = now() - interval '1 second' WHERE entity_id = $1`, [leased]);
      expect(await sender.run()).toEqual({ emails: 1, sent: 1, skipped: 0, retried: 0, failed: 0 });
      expect(await t.dataSource.query(`SELECT email_status, email_attempts FROM notification WHERE entity_id = $1`, [leased])).toEqual([
        { email_status: 'sent', email_attempts: 2 },
      ]);
    });
  });
});

describe('notification e-mail without SMTP, on the pg-boss queue (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ JOBS_ENABLED: 'true' });
  });
  afterAll(() => t.close());

  it('registers the minute schedule; the job marks pending notifications skipped', async () => {
    const jobs = t.app.get(JobQueue);
    expect(await jobs.getSchedules()).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: NOTIFICATION_EMAIL_QUEUE, cron: NOTIFICATION_EMAIL_SCHEDULE.cron, timezone: 'Europe/Paris' })]),
    );
    expect(await t.dataSource.query(`SELECT policy, retry_limit FROM pgboss.queue WHERE name = $1`, [NOTIFICATION_EMAIL_QUEUE])).toEqual([
      { policy: 'stately', retry_limit: 0 },
    ]);

    const structureId = (await t.createStructure()).id;
    const agent = await agentOf(t, 'reception_agent', structureId);
    const entityId = randomUUID();
    await t.dataSource.transaction((manager) =>
      t.app.get(NotificationsService).notify(manager, { tenantId: t.tenant.id, kind: 'referral_received', entityType: 'referral', entityId, to: { structureId } }),
    );
    // The job sent now (or the minute's own run, whichever comes first: `stately` keeps one queued).
    const id = await jobs.send(NOTIFICATION_EMAIL_QUEUE);
    if (id) {
      const job = await waitFor(
        () => jobs.getJob(NOTIFICATION_EMAIL_QUEUE, id),
        (j) => j?.state === 'completed' || j?.state === 'failed',
      );
      expect(job?.state).toBe('completed');
      expect(job?.output).toEqual(expect.objectContaining({ emails: 0, sent: 0 }));
    }
    const rows = await waitFor(
      () => t.dataSource.query(`SELECT user_id, email_status FROM notification WHERE entity_id = $1`, [entityId]),
      (r: { email_status: string }[]) => r.every((row) => row.email_status === 'skipped'),
    );
    expect(rows).toEqual([{ user_id: agent.userId, email_status: 'skipped' }]);
  });
});
