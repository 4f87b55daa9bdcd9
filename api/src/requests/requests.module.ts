import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { RequestsController } from './requests.controller';
import { RequestsService } from './requests.service';

/** Requests (demandes). Opened from a contact by ContactsModule, which imports this module. */
@Module({ imports: [PersonsModule], controllers: [RequestsController], providers: [RequestsService] })
export class RequestsModule {}
