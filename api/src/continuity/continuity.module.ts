import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ContinuityClock } from './continuity-clock';
import { ContinuityController } from './continuity.controller';
import { ContinuityEraser } from './continuity.eraser';
import { ContinuityJournalJob } from './continuity-journal.job';
import { ContinuityService } from './continuity.service';

/**
 * Continuity of parcours (ruptures de parcours; docs/continuity.md, decisions 0014 and 0016): the
 * alerts read from the open gaps (continuity_gap, kept by triggers), their acknowledgements, the tenant's delays, the journal job, and the erasure of the journal
 * with the person's file (ContinuityEraser, found by the retention's PersonAnonymizer). The job queue
 * comes from NotificationsModule (global), like the orientation reminders'.
 */
@Module({
  imports: [PersonsModule],
  controllers: [ContinuityController],
  providers: [ContinuityService, ContinuityClock, ContinuityJournalJob, ContinuityEraser],
  exports: [ContinuityService],
})
export class ContinuityModule {}
