import { Module } from '@nestjs/common';
import { SitesController } from './sites.controller';
import { SitesService } from './sites.service';
import { StructuresController } from './structures.controller';
import { StructuresService } from './structures.service';

@Module({
  controllers: [StructuresController, SitesController],
  providers: [StructuresService, SitesService],
  exports: [StructuresService],
})
export class StructuresModule {}
