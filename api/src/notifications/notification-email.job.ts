import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobQueue } from '../retention/job-queue.service';
import { NotificationEmailSender } from './notification-email.sender';

export const NOTIFICATION_EMAIL_QUEUE = 'notification.email';
/** Every minute: a notification's e-mail leaves at most a minute or so after its transaction committed. */
export const NOTIFICATION_EMAIL_SCHEDULE = { cron: '* * * * *', tz: 'Europe/Paris' };

/**
 * The outbox worker of the notifications' e-mails (decision 0013). `stately`: one run waiting, one
 * running, never two at once (SKIP LOCKED would keep two apart anyway). A run never fails for a
 * refused e-mail (the row keeps its own attempts); it fails only if the database does, and the next
 * minute's run takes over, so no retry of its own.
 */
@Injectable()
export class NotificationEmailJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly sender: NotificationEmailSender,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      queue: NOTIFICATION_EMAIL_QUEUE,
      options: { policy: 'stately', retryLimit: 0, expireInSeconds: 15 * 60 },
      schedule: NOTIFICATION_EMAIL_SCHEDULE,
      handle: async () => ({ ...(await this.sender.run()) }),
    });
  }
}
