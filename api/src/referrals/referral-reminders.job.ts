import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobQueue } from '../retention/job-queue.service';
import { ReferralRemindersService } from './referral-reminders.service';

export const REFERRAL_REMINDERS_QUEUE = 'referral.reminders';
/**
 * Monday to Friday at 08:00, Paris time (DST included): reminders reach agents as their day starts,
 * not on a Sunday. The delays are in days, so a daily run is precise enough: an orientation is
 * flagged at most a day (a weekend: three) after its delay.
 */
export const REFERRAL_REMINDERS_SCHEDULE = { cron: '0 8 * * 1-5', tz: 'Europe/Paris' };

/**
 * The reminders and expiry of unanswered orientations. The clock is the database's (the one that
 * stamped sent_at), read when the job starts; a job's data cannot choose it.
 */
@Injectable()
export class ReferralRemindersJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly reminders: ReferralRemindersService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      queue: REFERRAL_REMINDERS_QUEUE,
      // stately: never two runs at once. A run is idempotent, so a failed one is simply retried.
      options: { policy: 'stately', retryLimit: 3, retryDelay: 15 * 60, retryBackoff: true, expireInSeconds: 3600 },
      schedule: REFERRAL_REMINDERS_SCHEDULE,
      handle: async () => {
        const [{ now }]: { now: Date }[] = await this.dataSource.query(`SELECT now() AS now`);
        return this.reminders.run(now);
      },
    });
  }
}
