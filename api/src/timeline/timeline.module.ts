import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ContactTimelineSource } from './contact-timeline.source';
import { ReferentTimelineSource } from './referent-timeline.source';
import { ReferralTimelineSource } from './referral-timeline.source';
import { RequestTimelineSource } from './request-timeline.source';
import { TimelineController } from './timeline.controller';
import { TIMELINE_SOURCES, type TimelineSource } from './timeline-source';
import { TimelineService } from './timeline.service';

/** The person's timeline: contacts, requests, orientations, référents and handoffs; consents will add their source to TIMELINE_SOURCES. */
@Module({
  imports: [PersonsModule],
  controllers: [TimelineController],
  providers: [
    ContactTimelineSource,
    RequestTimelineSource,
    ReferralTimelineSource,
    ReferentTimelineSource,
    {
      provide: TIMELINE_SOURCES,
      useFactory: (...sources: TimelineSource[]) => sources,
      inject: [ContactTimelineSource, RequestTimelineSource, ReferralTimelineSource, ReferentTimelineSource],
    },
    TimelineService,
  ],
})
export class TimelineModule {}
