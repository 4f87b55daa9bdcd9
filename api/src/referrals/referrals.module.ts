import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { ReferralsController } from './referrals.controller';
import { ReferralsEraser } from './referrals.eraser';
import { ReferralsService } from './referrals.service';
import { ReferralRemindersJob } from './referral-reminders.job';
import { ReferralRemindersService } from './referral-reminders.service';

/**
 * Orientations (referrals) that close the loop; their timeline source is in TimelineModule, their
 * free text is erased by ReferralsEraser with the person's file (retention, erasure on request).
 */
@Module({
  imports: [PersonsModule],
  controllers: [ReferralsController],
  providers: [ReferralsService, ReferralsEraser, ReferralRemindersService, ReferralRemindersJob],
})
export class ReferralsModule {}
