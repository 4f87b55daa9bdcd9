import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { DocumentsController } from './documents.controller';
import { DocumentsEraser } from './documents.eraser';
import { DocumentsService } from './documents.service';

/** The armoire numérique: documents of a person's file, governed by consent, erased by retention. */
@Module({
  imports: [PersonsModule],
  controllers: [DocumentsController],
  providers: [DocumentsService, DocumentsEraser],
  exports: [DocumentsService],
})
export class DocumentsModule {}
