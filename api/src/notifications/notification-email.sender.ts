import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NotificationKind } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { notificationEmail } from './notification-email';

/** Notifications claimed per transaction. */
export const NOTIFICATION_EMAIL_BATCH_SIZE = 100;
/** Attempts before a notification's e-mail is given up ('failed'). */
export const NOTIFICATION_EMAIL_MAX_ATTEMPTS = 5;
/** A claimed notification is left alone this long: a worker stopped mid-send leaves it to a later run. */
export const NOTIFICATION_EMAIL_LEASE_SECONDS = 10 * 60;
/** After the n-th failure, the next attempt waits n² × this (5, 20, 45, 80 minutes). */
export const NOTIFICATION_EMAIL_BACKOFF_MINUTES = 5;
/** Older news is not e-mailed any more (jobs or SMTP were off): the application still lists it. */
export const NOTIFICATION_EMAIL_MAX_AGE_HOURS = 72;

export interface NotificationEmailReport {
  /** E-mails handed to the SMTP server (one per recipient and batch). */
  emails: number;
  /** Notifications by outcome. */
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
}

interface Claimed {
  id: string;
  user_id: string;
  kind: NotificationKind;
  read: boolean;
  stale: boolean;
}

interface Recipient {
  id: string;
  email: string;
  reachable: boolean;
}

/**
 * Sends the e-mails of the notifications, after their transaction committed: the notification table
 * is the outbox, worked every minute by the `notification.email` job (decision 0013).
 * - Without MAIL_SMTP_URL, pending notifications become 'skipped'.
 * - A batch is claimed with FOR UPDATE SKIP LOCKED and leased (attempt counted, next attempt pushed
 *   back) in a short transaction; the SMTP conversations happen outside it. Two workers never claim
 *   the same row; a worker stopped mid-send leaves its rows to be retried when the lease ends.
 * - One e-mail per recipient and batch, however many notifications: it names their kinds only, with
 *   the link to the notifications page (notificationEmail).
 * - Skipped rather than sent: a notification already read in the application, one older than
 *   NOTIFICATION_EMAIL_MAX_AGE_HOURS, a recipient with no active membership or not yet activated.
 * - A refused or failed send is retried with a back-off, then marked 'failed' after
 *   NOTIFICATION_EMAIL_MAX_ATTEMPTS. Never thrown, never logged with the recipient's address.
 */
// Every UPDATE … RETURNING below is wrapped in `WITH … SELECT`: TypeORM answers a top-level UPDATE
// with [rows, count] instead of the rows.
@Injectable()
export class NotificationEmailSender {
  private readonly logger = new Logger('NotificationEmail');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly config: AppConfig,
  ) {}

  async run(options: { batchSize?: number } = {}): Promise<NotificationEmailReport> {
    const batchSize = options.batchSize ?? NOTIFICATION_EMAIL_BATCH_SIZE;
    const report: NotificationEmailReport = { emails: 0, sent: 0, skipped: 0, retried: 0, failed: 0 };
    report.failed += await this.giveUpAbandoned();
    for (;;) {
      if (!this.mail.enabled) {
        const skipped = await this.skipPending(batchSize);
        report.skipped += skipped;
        if (skipped < batchSize) break;
        continue;
      }
      const claimed = await this.claim(batchSize);
      if (claimed.length > 0) await this.deliver(claimed, report);
      if (claimed.length < batchSize) break;
    }
    if (report.emails + report.retried + report.failed > 0) {
      this.logger.log(`Notifications e-mailed: ${report.emails} e-mail(s), sent ${report.sent}, skipped ${report.skipped}, retried ${report.retried}, failed ${report.failed}`);
    }
    return report;
  }

  /** Without SMTP: the next pending notifications become 'skipped'. */
  private async skipPending(batchSize: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH due AS (
         SELECT id FROM notification WHERE email_status = 'pending' ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
       ), skipped AS (
         UPDATE notification n SET email_status = 'skipped', email_next_attempt_at = NULL FROM due WHERE n.id = due.id RETURNING 1
       )
       SELECT 1 FROM skipped`,
      [batchSize],
    );
    return rows.length;
  }

  /** Rows whose last allowed attempt was claimed by a worker that never came back: given up. */
  private async giveUpAbandoned(): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH given_up AS (
         UPDATE notification SET email_status = 'failed', email_next_attempt_at = NULL
          WHERE email_status = 'pending' AND email_attempts >= $1 AND email_next_attempt_at <= now()
         RETURNING 1
       )
       SELECT 1 FROM given_up`,
      [NOTIFICATION_EMAIL_MAX_ATTEMPTS],
    );
    return rows.length;
  }

  /** Claims the next due notifications: locked, attempt counted, leased — and committed at once. */
  private claim(batchSize: number): Promise<Claimed[]> {
    return this.dataSource.query(
      `WITH due AS (
         SELECT id FROM notification
          WHERE email_status = 'pending' AND email_attempts < $4 AND (email_next_attempt_at IS NULL OR email_next_attempt_at <= now())
          ORDER BY created_at, id
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE notification n
            SET email_attempts = n.email_attempts + 1, email_next_attempt_at = now() + make_interval(secs => $2)
           FROM due WHERE n.id = due.id
         RETURNING n.id, n.user_id, n.kind, n.read_at IS NOT NULL AS read, n.created_at < now() - make_interval(hours => $3) AS stale
       )
       SELECT * FROM claimed`,
      [batchSize, NOTIFICATION_EMAIL_LEASE_SECONDS, NOTIFICATION_EMAIL_MAX_AGE_HOURS, NOTIFICATION_EMAIL_MAX_ATTEMPTS],
    );
  }

  private async deliver(claimed: Claimed[], report: NotificationEmailReport): Promise<void> {
    const recipients = await this.recipients([...new Set(claimed.map((c) => c.user_id))]);
    const byUser = new Map<string, Claimed[]>();
    for (const notification of claimed) byUser.set(notification.user_id, [...(byUser.get(notification.user_id) ?? []), notification]);

    for (const [userId, notifications] of byUser) {
      const recipient = recipients.get(userId);
      const toSend = recipient?.reachable ? notifications.filter((n) => !n.read && !n.stale) : [];
      const toSkip = notifications.filter((n) => !toSend.includes(n));
      if (toSkip.length > 0) report.skipped += await this.mark(toSkip, 'skipped');
      if (!recipient || toSend.length === 0) continue;
      const email = notificationEmail(
        toSend.map((n) => n.kind),
        this.config.publicUrl,
      );
      const sent = await this.mail.send({ to: recipient.email, ...email });
      if (sent) {
        report.emails += 1;
        report.sent += await this.mark(toSend, 'sent');
      } else {
        const { retried, failed } = await this.markFailure(toSend);
        report.retried += retried;
        report.failed += failed;
        // The address stays out of the log (personal data): the notification ids are enough to look.
        this.logger.warn(`Notification e-mail not sent (${toSend.length} notification(s): ${retried} to retry, ${failed} given up)`);
      }
    }
  }

  /** Recipients who may receive mail: an active membership, an activated account. */
  private async recipients(userIds: string[]): Promise<Map<string, Recipient>> {
    const rows: Recipient[] = await this.dataSource.query(
      `SELECT u.id, u.email::text AS email,
              (u.password_hash IS NOT NULL AND EXISTS (
                 SELECT 1 FROM membership m WHERE m.user_id = u.id AND m.deactivated_at IS NULL)) AS reachable
         FROM app_user u WHERE u.id = ANY($1::uuid[])`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  private async mark(notifications: Claimed[], status: 'sent' | 'skipped'): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH marked AS (
         UPDATE notification
            SET email_status = $2::text, email_next_attempt_at = NULL, emailed_at = CASE WHEN $2::text = 'sent' THEN now() END
          WHERE id = ANY($1::uuid[]) AND email_status = 'pending'
         RETURNING 1
       )
       SELECT 1 FROM marked`,
      [notifications.map((n) => n.id), status],
    );
    return rows.length;
  }

  /** Back to 'pending' with a back-off, or 'failed' once the attempts are used up. */
  private async markFailure(notifications: Claimed[]): Promise<{ retried: number; failed: number }> {
    const rows: { email_status: 'pending' | 'failed' }[] = await this.dataSource.query(
      `WITH marked AS (
         UPDATE notification
            SET email_status = CASE WHEN email_attempts >= $2 THEN 'failed' ELSE 'pending' END,
                email_next_attempt_at = CASE WHEN email_attempts >= $2 THEN NULL
                                             ELSE now() + make_interval(mins => $3 * email_attempts * email_attempts) END
          WHERE id = ANY($1::uuid[]) AND email_status = 'pending'
         RETURNING email_status
       )
       SELECT email_status FROM marked`,
      [notifications.map((n) => n.id), NOTIFICATION_EMAIL_MAX_ATTEMPTS, NOTIFICATION_EMAIL_BACKOFF_MINUTES],
    );
    const failed = rows.filter((r) => r.email_status === 'failed').length;
    return { retried: rows.length - failed, failed };
  }
}
