import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobQueue } from './job-queue.service';
import { RetentionService } from './retention.service';

export const RETENTION_QUEUE = 'retention.run';
/** Every day at 03:15, Paris time (DST included), when nobody is at the reception desk. */
export const RETENTION_SCHEDULE = { cron: '15 3 * * *', tz: 'Europe/Paris' };

/**
 * The daily retention job. The clock is the database's (the one that stamped every created_at and
 * occurred_at), read when the job starts; a job's data cannot choose it.
 */
@Injectable()
export class RetentionJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly retention: RetentionService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      queue: RETENTION_QUEUE,
      // stately: at most one run waiting and one running, never two at once. A run is idempotent, so a
      // failed one is simply retried; a long first run (years of backlog) gets 6 hours.
      options: { policy: 'stately', retryLimit: 3, retryDelay: 15 * 60, retryBackoff: true, expireInSeconds: 6 * 3600 },
      schedule: RETENTION_SCHEDULE,
      handle: async () => {
        const [{ now }]: { now: Date }[] = await this.dataSource.query(`SELECT now() AS now`);
        return this.retention.run(now);
      },
    });
  }
}
