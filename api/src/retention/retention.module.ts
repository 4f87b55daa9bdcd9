import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ATTACHED_DATA_ERASERS } from './attached-data-erasers';
import { JOB_QUEUE_DATABASE_URL, JobQueue } from './job-queue.service';
import { RetentionJob } from './retention.job';
import { RetentionService } from './retention.service';

/**
 * Retention (docs/retention.md): the job queue (pg-boss), the daily job, the anonymisation of files
 * past their retention with the erasers of attached data, and the audit purge.
 */
@Module({})
export class RetentionModule {
  /** `databaseUrl`: the application's database (the same as TypeORM's), where pg-boss keeps its schema. */
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: RetentionModule,
      imports: [DiscoveryModule],
      providers: [{ provide: JOB_QUEUE_DATABASE_URL, useValue: databaseUrl }, JobQueue, RetentionService, RetentionJob, ...ATTACHED_DATA_ERASERS],
      exports: [JobQueue, RetentionService],
    };
  }
}
