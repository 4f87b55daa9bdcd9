import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { HandoffsController } from './handoffs.controller';
import { HandoffsService } from './handoffs.service';
import { ReferentsController } from './referents.controller';
import { ReferentsEraser } from './referents.eraser';
import { ReferentsService } from './referents.service';

/**
 * The référent de parcours, handoffs (passages de relais), the professionals' picker and the caseload
 * (decision 0012). The timeline's référent events are a source of TimelineModule; the erasure of their
 * free text is ReferentsEraser, found by the retention's PersonAnonymizer.
 */
@Module({
  imports: [PersonsModule],
  controllers: [ReferentsController, HandoffsController],
  providers: [ReferentsService, HandoffsService, ReferentsEraser],
  exports: [ReferentsService],
})
export class ReferentsModule {}
