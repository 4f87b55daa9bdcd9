import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { PersonsModule } from '../persons/persons.module';
import { ATTACHED_DATA_ERASERS } from './attached-data-erasers';
import { ErasureController } from './erasure.controller';
import { ErasureService } from './erasure.service';
import { JOB_QUEUE_DATABASE_URL, JobQueue } from './job-queue.service';
import { PersonAnonymizer } from './person-anonymizer';
import { RetentionJob } from './retention.job';
import { RetentionService } from './retention.service';

/**
 * Retention (docs/retention.md): the job queue (pg-boss), the daily job, the anonymisation of files
 * past their retention with the erasers of attached data, and the audit purge; and the erasure of a
 * file at the person's request (RGPD art. 17), which anonymises it the same way (PersonAnonymizer).
 */
@Module({})
export class RetentionModule {
  /** `databaseUrl`: the application's database (the same as TypeORM's), where pg-boss keeps its schema. */
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: RetentionModule,
      imports: [DiscoveryModule, PersonsModule],
      controllers: [ErasureController],
      providers: [
        { provide: JOB_QUEUE_DATABASE_URL, useValue: databaseUrl },
        JobQueue,
        PersonAnonymizer,
        RetentionService,
        RetentionJob,
        ErasureService,
        ...ATTACHED_DATA_ERASERS,
      ],
      exports: [JobQueue, RetentionService, PersonAnonymizer],
    };
  }
}
