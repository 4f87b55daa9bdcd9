import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { RequestsModule } from '../requests/requests.module';
import { TimelineModule } from '../timeline/timeline.module';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

/**
 * The reception desk's records: contacts here; requests and the person's timeline in their own
 * modules, imported here because this module is the one registered in AppModule.
 */
@Module({
  imports: [PersonsModule, RequestsModule, TimelineModule],
  controllers: [ContactsController],
  providers: [ContactsService],
})
export class ContactsModule {}
