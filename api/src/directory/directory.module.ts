import { Module } from '@nestjs/common';
import { StructuresModule } from '../structures/structures.module';
import { DirectoryExportService } from './directory-export.service';
import { DirectoryFreshnessJob, DirectoryFreshnessService } from './directory-freshness.job';
import { DirectoryImportService } from './directory-import.service';
import { DirectoryController } from './directory.controller';
import { DirectoryRepository } from './directory.repository';
import { ServiceCatalog } from './service-catalog';
import { ServicesAdminController } from './services-admin.controller';

/** The directory of partner services (annuaire): search, management by each structure, freshness, data·inclusion import, HSDS export. */
@Module({
  imports: [StructuresModule],
  controllers: [DirectoryController, ServicesAdminController],
  providers: [DirectoryRepository, ServiceCatalog, DirectoryImportService, DirectoryExportService, DirectoryFreshnessService, DirectoryFreshnessJob],
  exports: [ServiceCatalog, DirectoryRepository],
})
export class DirectoryModule {}
