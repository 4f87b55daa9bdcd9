import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_CHANNELS,
  EXPORT_FORMATS,
  INDICATOR_SCOPES,
  NEED_BOUQUET_CODES,
  TERRITORY_CODE_PATTERN,
  type ContactChannel,
  type ExportFormat,
  type IndicatorFilters,
  type IndicatorScope,
  type NeedBouquetCode,
} from '@passerelle/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, ValidateBy, type ValidationOptions } from 'class-validator';
import { MAX_PERIOD_YEARS, parseDay, periodProblem, PERIOD_MESSAGES } from '../indicator-period';

/** `epci:<SIREN, 9 digits>` or `commune:<INSEE code>`. */

const M = {
  territory: 'Territoire invalide : « epci:<SIREN> » ou « commune:<code INSEE> » est attendu, par ex. epci:200067825 ou commune:05061.',
  structureId: 'Identifiant de structure invalide.',
  siteId: 'Identifiant de lieu d’accueil invalide.',
  bouquet: 'Bouquet de services inconnu : un code de 1 à 18 est attendu.',
  channel: `Canal inconnu (valeurs possibles : ${CONTACT_CHANNELS.join(', ')}).`,
  scope: `Niveau inconnu (valeurs possibles : ${INDICATOR_SCOPES.join(', ')}).`,
  format: `Format d’export inconnu (valeurs possibles : ${EXPORT_FORMATS.join(', ')}).`,
};

const IsDay = (options?: ValidationOptions) => ValidateBy({ name: 'isDay', validator: { validate: (v: unknown) => parseDay(v) !== null } }, options);

/** The end of the period: not before `from`, at most 5 years after (checked only when both days are valid). */
const IsPeriodEnd = () =>
  ValidateBy({
    name: 'isPeriodEnd',
    validator: {
      validate: (to: unknown, args) => {
        const from = (args?.object as { from?: unknown }).from;
        return parseDay(from) === null || parseDay(to) === null || periodProblem(from, to) === null;
      },
      defaultMessage: (args) => periodProblem((args?.object as { from?: unknown }).from, args?.value)?.message ?? PERIOD_MESSAGES.order,
    },
  });

/** GET /api/indicators/<section> filters (decision 0015 for who may use which). */
export class IndicatorFiltersDto implements IndicatorFilters {
  @ApiProperty({ example: '2026-01-01', description: 'Premier jour de la période (inclus, heure de Paris).' })
  @IsDay({ message: PERIOD_MESSAGES.day })
  from!: string;

  @ApiProperty({ example: '2026-03-31', description: `Dernier jour de la période (inclus) ; au plus ${MAX_PERIOD_YEARS} ans après le premier.` })
  @IsDay({ message: PERIOD_MESSAGES.day })
  @IsPeriodEnd()
  to!: string;

  @ApiPropertyOptional({ example: 'epci:200067825', description: 'Un EPCI ou une commune du département (GET /api/indicators/territories) ; absent : tout le département.' })
  @IsOptional()
  @Matches(TERRITORY_CODE_PATTERN, { message: M.territory })
  territory?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Une structure (contacts : la structure du contact ; orientations : l’émettrice ou la destinataire).' })
  @IsOptional()
  @IsUUID('all', { message: M.structureId })
  structureId?: string;

  @ApiPropertyOptional({ enum: NEED_BOUQUET_CODES, description: 'Un bouquet de services (besoin du contact, ou bouquet de l’orientation).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.bouquet })
  @IsIn(NEED_BOUQUET_CODES, { message: M.bouquet })
  bouquet?: NeedBouquetCode;

  @ApiPropertyOptional({ enum: CONTACT_CHANNELS, description: 'Canal du contact (sans effet sur les orientations).' })
  @IsOptional()
  @IsIn(CONTACT_CHANNELS, { message: M.channel })
  channel?: ContactChannel;

  @ApiPropertyOptional({ format: 'uuid', description: 'Un lieu d’accueil (sans effet sur les orientations).' })
  @IsOptional()
  @IsUUID('all', { message: M.siteId })
  siteId?: string;

  @ApiPropertyOptional({
    enum: INDICATOR_SCOPES,
    description: 'Administrateur de structure : « territory » pour les chiffres du territoire (petits effectifs masqués) ; par défaut, sa structure.',
  })
  @IsOptional()
  @IsIn(INDICATOR_SCOPES, { message: M.scope })
  scope?: IndicatorScope;
}

export class IndicatorExportQueryDto extends IndicatorFiltersDto {
  @ApiProperty({ enum: EXPORT_FORMATS, description: 'csv (UTF-8 avec BOM, séparateur « ; ») ou xlsx.' })
  @IsIn(EXPORT_FORMATS, { message: M.format })
  format!: ExportFormat;
}
