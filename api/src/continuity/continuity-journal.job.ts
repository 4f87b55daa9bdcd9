import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobQueue } from '../retention/job-queue.service';
import { ContinuityService } from './continuity.service';

export const CONTINUITY_JOURNAL_QUEUE = 'continuity.journal';
/**
 * Every 15 minutes: the journal's dates (first seen, closed) are then within a quarter of an hour of
 * the gap's, precise enough for indicators counted by day — the alerts themselves are always read from the gaps.
 */
export const CONTINUITY_JOURNAL_SCHEDULE = { cron: '*/15 * * * *', tz: 'Europe/Paris' };

/**
 * The journal of continuity alerts, for every tenant. The clock is the database's, read when the job
 * starts; a job's data cannot choose it.
 */
@Injectable()
export class ContinuityJournalJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly continuity: ContinuityService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      queue: CONTINUITY_JOURNAL_QUEUE,
      // stately: never two runs at once. A run is idempotent; a failed one is retried, or done by the next.
      options: { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 14 * 60 },
      schedule: CONTINUITY_JOURNAL_SCHEDULE,
      handle: async () => {
        const [{ now }]: { now: Date }[] = await this.dataSource.query(`SELECT now() AS now`);
        return this.continuity.runJournal(now);
      },
    });
  }
}
