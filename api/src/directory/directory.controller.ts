import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DIRECTORY_ROLES, type DirectoryImportReport, type DirectorySearchHit, type DirectoryService } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { DirectoryExportService } from './directory-export.service';
import { DirectoryImportService } from './directory-import.service';
import { DirectorySearchQueryDto } from './dto/directory-search.dto';
import type { HsdsExport } from './hsds';
import { ServiceCatalog } from './service-catalog';

/** Each data·inclusion file of an import: 10 MB at most. */
export const IMPORT_FILE_MAX_BYTES = 10 * 1024 * 1024;

interface UploadedFile {
  buffer: Buffer;
}

/** UTF-8, or Windows-1252 / Latin-1 as spreadsheets often save CSV files. */
function decode(file: UploadedFile | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file.buffer);
  } catch {
    return new TextDecoder('windows-1252').decode(file.buffer);
  }
}

@ApiTags('directory')
@ApiCookieAuth()
@Controller('directory')
export class DirectoryController {
  constructor(
    private readonly catalog: ServiceCatalog,
    private readonly importer: DirectoryImportService,
    private readonly exporter: DirectoryExportService,
  ) {}

  @Get('services')
  @Allow(...DIRECTORY_ROLES)
  @ApiOperation({
    summary:
      'Recherche dans l’annuaire : services actifs des structures actives, par besoin (bouquet), commune (zone d’intervention ; ' +
      'classés : délivrés dans la commune, dans son intercommunalité, plus loin ; à vérifier après les autres) et mots.',
  })
  search(@Auth() auth: AuthContext, @Query() query: DirectorySearchQueryDto): Promise<DirectorySearchHit[]> {
    return this.catalog.search(auth, query);
  }

  @Get('services/:id')
  @Allow(...DIRECTORY_ROLES)
  @ApiOperation({ summary: 'Un service de l’annuaire (un service retiré n’est visible que des administrateurs de sa structure).' })
  get(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<DirectoryService> {
    return this.catalog.get(auth, id);
  }

  @Get('stale')
  @Allow('structure_admin')
  @ApiOperation({ summary: 'Services actifs de votre structure non vérifiés depuis 6 mois (à vérifier).' })
  stale(@Auth() auth: AuthContext): Promise<DirectoryService[]> {
    return this.catalog.stale(auth);
  }

  @Post('import')
  @HttpCode(200)
  @Allow('platform_admin')
  @UseInterceptors(
    FileFieldsInterceptor(
      [
        { name: 'structures', maxCount: 1 },
        { name: 'services', maxCount: 1 },
      ],
      { limits: { fileSize: IMPORT_FILE_MAX_BYTES, files: 2, fields: 0, parts: 2 } },
    ),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        structures: { type: 'string', format: 'binary', description: 'Structures data·inclusion (JSON ou CSV)' },
        services: { type: 'string', format: 'binary', description: 'Services data·inclusion (JSON ou CSV)' },
      },
    },
  })
  @ApiOperation({
    summary:
      'Importe des structures et services au format data·inclusion (fichiers « structures » et « services », JSON ou CSV, 10 Mo chacun) : ' +
      'idempotent sur les identifiants data·inclusion ; rend les nombres de créations et mises à jour, et les lignes refusées avec leur motif.',
  })
  import(
    @Auth() auth: AuthContext,
    @UploadedFiles() files: { structures?: UploadedFile[]; services?: UploadedFile[] } | undefined,
  ): Promise<DirectoryImportReport> {
    return this.importer.import(auth, { structures: decode(files?.structures?.[0]), services: decode(files?.services?.[0]) });
  }

  @Get('export.hsds.json')
  @Allow(...DIRECTORY_ROLES)
  @Header('Content-Disposition', 'attachment; filename="annuaire.hsds.json"')
  @ApiOperation({ summary: 'L’annuaire publié (services actifs des structures actives) au format Open Referral HSDS 3.0 (JSON).' })
  export(@Auth() auth: AuthContext): Promise<HsdsExport> {
    return this.exporter.hsds(auth);
  }
}
