import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { PersonsModule } from '../persons/persons.module';
import { AccessOverridesService } from './access-overrides.service';
import { ConsentsService } from './consents.service';
import { NoticesController } from './notices.controller';
import { NoticesService } from './pdf/notices.service';
import { SharingController } from './sharing.controller';
import { SubjectAccessService } from './subject-access.service';

/** Consents, exceptional access, the access log and the subject-access export; the access policy itself is PersonAccessService. */
@Module({
  imports: [PersonsModule, DocumentsModule],
  controllers: [SharingController, NoticesController],
  providers: [ConsentsService, AccessOverridesService, SubjectAccessService, NoticesService],
})
export class SharingModule {}
