import { Controller, Get, Header, Injectable, Param, type PipeTransform, Query, StreamableFile } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { INDICATOR_SECTIONS, type IndicatorReport, type IndicatorSection, type IndicatorTerritory } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { DomainError } from '../common/errors/domain-error';
import { IndicatorExportQueryDto, IndicatorFiltersDto } from './dto/indicator-filters.dto';
import { IndicatorsService, type IndicatorFile } from './indicators.service';

/** Coordinators (the territory, always with small counts suppressed) and structure admins (their structure exact, or the territory suppressed). */
const INDICATOR_ROLES = ['coordinator', 'structure_admin'] as const;

/** An unknown section is an unknown resource (404), like any other unknown path. */
@Injectable()
class ParseSectionPipe implements PipeTransform<string, IndicatorSection> {
  transform(value: string): IndicatorSection {
    if (!(INDICATOR_SECTIONS as readonly string[]).includes(value)) throw new DomainError('NOT_FOUND', 'Section d’indicateurs inconnue.');
    return value as IndicatorSection;
  }
}

const FILE_BODY = { description: 'Fichier CSV (UTF-8 avec BOM, séparateur « ; ») ou classeur XLSX.', schema: { type: 'string', format: 'binary' } };

function download(file: IndicatorFile): StreamableFile {
  return new StreamableFile(file.content, { type: file.contentType, disposition: `attachment; filename="${file.filename}"`, length: file.content.length });
}

@ApiTags('indicators')
@ApiCookieAuth()
@Controller('indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get('territories')
  @Allow(...INDICATOR_ROLES)
  @ApiOperation({ summary: 'Territoires proposés aux filtres : les EPCI du département, puis les communes où se trouvent des structures ou des lieux d’accueil.' })
  territories(@Auth() auth: AuthContext): Promise<IndicatorTerritory[]> {
    return this.indicators.territories(auth);
  }

  // Declared before :section, so that "export" is not taken for a section.
  @Get('export')
  @Allow(...INDICATOR_ROLES)
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse(FILE_BODY)
  @ApiOperation({
    summary:
      'Toutes les sections dans un fichier : un classeur XLSX (une feuille « Filtres », puis une feuille par tableau) ou un CSV (un bloc par tableau). Mêmes chiffres que le JSON ; tracé.',
  })
  async exportAll(@Auth() auth: AuthContext, @Query() query: IndicatorExportQueryDto): Promise<StreamableFile> {
    const { format, ...filters } = query;
    return download(await this.indicators.export(auth, 'all', format, filters));
  }

  @Get(':section')
  @Allow(...INDICATOR_ROLES)
  @ApiParam({ name: 'section', enum: INDICATOR_SECTIONS })
  @ApiOperation({
    summary:
      'Indicateurs d’une section (contacts, orientations par partenaire, flux, freins d’accès, continuité) sur une période, avec filtres. ' +
      'Coordinateur : tout le département, petits effectifs masqués (« < 5 », « secret »). Administrateur de structure : sa structure, chiffres exacts ; ' +
      'le territoire (filtre territoire, ou scope=territory) avec petits effectifs masqués ; une autre structure : 403.',
  })
  report(@Auth() auth: AuthContext, @Param('section', ParseSectionPipe) section: IndicatorSection, @Query() filters: IndicatorFiltersDto): Promise<IndicatorReport> {
    return this.indicators.report(auth, section, filters);
  }

  @Get(':section/export')
  @Allow(...INDICATOR_ROLES)
  @Header('Cache-Control', 'no-store')
  @ApiParam({ name: 'section', enum: INDICATOR_SECTIONS })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse(FILE_BODY)
  @ApiOperation({
    summary:
      'Les tableaux d’une section en CSV (UTF-8 avec BOM, « ; », un bloc titré par tableau après celui des filtres) ou XLSX (feuille « Filtres », puis une feuille par tableau). Mêmes chiffres que le JSON ; tracé.',
  })
  async exportSection(
    @Auth() auth: AuthContext,
    @Param('section', ParseSectionPipe) section: IndicatorSection,
    @Query() query: IndicatorExportQueryDto,
  ): Promise<StreamableFile> {
    const { format, ...filters } = query;
    return download(await this.indicators.export(auth, section, format, filters));
  }
}
