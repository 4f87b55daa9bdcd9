import { Module } from '@nestjs/common';
import { StructuresModule } from '../structures/structures.module';
import { PersonAccessService } from './person-access.service';
import { PersonsController } from './persons.controller';
import { PersonsRepository } from './persons.repository';
import { PersonsService } from './persons.service';

@Module({
  imports: [StructuresModule],
  controllers: [PersonsController],
  providers: [PersonAccessService, PersonsRepository, PersonsService],
  exports: [PersonAccessService, PersonsService],
})
export class PersonsModule {}
