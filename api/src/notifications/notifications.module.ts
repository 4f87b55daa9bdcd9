import { DynamicModule, Module } from '@nestjs/common';
import { NotificationEmailJob } from './notification-email.job';
import { NotificationEmailSender } from './notification-email.sender';
import { NotificationEvents } from './notification-events';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/**
 * In-app notifications and their e-mail (decision 0013). Global, like AuditModule and MailModule:
 * the orientations, référents and directory modules notify inside their own transactions
 * (NotificationEvents). `jobs` is the application's RetentionModule.forRoot() module — the same
 * object AppModule imports, so the same JobQueue — imported for the e-mail job and re-exported, so the
 * jobs of those modules (the orientation reminders) can define themselves on the queue too.
 */
@Module({})
export class NotificationsModule {
  static forRoot(jobs: DynamicModule): DynamicModule {
    return {
      module: NotificationsModule,
      global: true,
      imports: [jobs],
      controllers: [NotificationsController],
      providers: [NotificationsService, NotificationEvents, NotificationEmailSender, NotificationEmailJob],
      exports: [NotificationsService, NotificationEvents, jobs],
    };
  }
}
