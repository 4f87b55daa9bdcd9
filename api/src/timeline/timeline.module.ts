import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ContactTimelineSource } from './contact-timeline.source';
import { RequestTimelineSource } from './request-timeline.source';
import { TimelineController } from './timeline.controller';
import { TIMELINE_SOURCES, type TimelineSource } from './timeline-source';
import { TimelineService } from './timeline.service';

/** The person's timeline. Orientations, référents and consents will add their sources to TIMELINE_SOURCES. */
@Module({
  imports: [PersonsModule],
  controllers: [TimelineController],
  providers: [
    ContactTimelineSource,
    RequestTimelineSource,
    {
      provide: TIMELINE_SOURCES,
      useFactory: (...sources: TimelineSource[]) => sources,
      inject: [ContactTimelineSource, RequestTimelineSource],
    },
    TimelineService,
  ],
})
export class TimelineModule {}
