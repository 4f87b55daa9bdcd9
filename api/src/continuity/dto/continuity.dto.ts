import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTINUITY_ACK_COMMENT_MAX,
  CONTINUITY_ALERT_KINDS,
  CONTINUITY_ALERT_KIND_HELP,
  CONTINUITY_THRESHOLD_MAX_DAYS,
  CONTINUITY_THRESHOLD_MIN_DAYS,
  TERRITORY_CODE_PATTERN,
  type AcknowledgeContinuityAlertRequest,
  type ContinuityAlertKind,
  type ContinuityAlertQuery,
  type ContinuityThresholds,
  type UpdateContinuityThresholdsRequest,
} from '@passerelle/contracts';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { TrimToNull } from '../../structures/dto/transforms';
import { parseAlertKey } from '../continuity-rules';

export const CONTINUITY_PAGE_SIZE = 50;
export const CONTINUITY_PAGE_MAX = 200;
export const CONTINUITY_MAX_OFFSET = 100_000;
export const ALERT_STATES = ['open', 'acknowledged', 'all'] as const;

export const M = {
  days: `Le délai est un nombre entier de jours entre ${CONTINUITY_THRESHOLD_MIN_DAYS} et ${CONTINUITY_THRESHOLD_MAX_DAYS}.`,
  thresholds: `Indiquez le délai de chaque type d’alerte (${CONTINUITY_ALERT_KINDS.join(', ')}).`,
  kind: `Type d’alerte inconnu (valeurs possibles : ${CONTINUITY_ALERT_KINDS.join(', ')}).`,
  structureId: 'Identifiant de structure invalide.',
  territory: 'Territoire invalide : « epci:<SIREN à 9 chiffres> » ou « commune:<code INSEE> » attendu, par ex. epci:200067742 ou commune:05061.',
  state: `État inconnu (valeurs possibles : ${ALERT_STATES.join(', ')}).`,
  limit: `Le nombre de résultats est un entier entre 1 et ${CONTINUITY_PAGE_MAX}.`,
  offset: `Le décalage est un entier entre 0 et ${CONTINUITY_MAX_OFFSET}.`,
  key: 'Clé d’alerte invalide : reprenez la clé (« key ») donnée par la liste des alertes.',
  comment: `Le commentaire comporte au plus ${CONTINUITY_ACK_COMMENT_MAX} caractères.`,
};

/** A threshold in days, required for its kind. */
function DaysProperty(kind: ContinuityAlertKind): PropertyDecorator {
  return (target, key) => {
    ApiProperty({ minimum: CONTINUITY_THRESHOLD_MIN_DAYS, maximum: CONTINUITY_THRESHOLD_MAX_DAYS, description: CONTINUITY_ALERT_KIND_HELP[kind] })(target, key);
    IsInt({ message: M.days })(target, key);
    Min(CONTINUITY_THRESHOLD_MIN_DAYS, { message: M.days })(target, key);
    Max(CONTINUITY_THRESHOLD_MAX_DAYS, { message: M.days })(target, key);
  };
}

export class ContinuityThresholdsDto implements ContinuityThresholds {
  @DaysProperty('referral_unanswered') referral_unanswered!: number;
  @DaysProperty('referral_not_in_charge') referral_not_in_charge!: number;
  @DaysProperty('referral_failed_no_followup') referral_failed_no_followup!: number;
  @DaysProperty('request_without_referent') request_without_referent!: number;
  @DaysProperty('accompaniment_lost_contact') accompaniment_lost_contact!: number;
  @DaysProperty('request_without_contact') request_without_contact!: number;
}

export class UpdateContinuityThresholdsDto implements UpdateContinuityThresholdsRequest {
  @ApiProperty({ type: ContinuityThresholdsDto, description: 'Le délai (en jours) de chaque type d’alerte : tous sont requis.' })
  @IsDefined({ message: M.thresholds })
  @IsObject({ message: M.thresholds })
  @ValidateNested()
  @Type(() => ContinuityThresholdsDto)
  thresholds!: ContinuityThresholdsDto;
}

export class ContinuityAlertQueryDto implements ContinuityAlertQuery {
  @ApiPropertyOptional({ enum: CONTINUITY_ALERT_KINDS })
  @IsOptional()
  @IsIn(CONTINUITY_ALERT_KINDS, { message: M.kind })
  kind?: ContinuityAlertKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Coordinateurs : une structure qui doit agir. Les structures voient les leurs seulement.' })
  @IsOptional()
  @IsUUID('all', { message: M.structureId })
  structureId?: string;

  @ApiPropertyOptional({ example: 'epci:200067742', description: '« epci:<SIREN> » ou « commune:<INSEE> » : les structures qui doivent agir situées là.' })
  @IsOptional()
  @IsString({ message: M.territory })
  @Matches(TERRITORY_CODE_PATTERN, { message: M.territory })
  territory?: string;

  @ApiPropertyOptional({ enum: ALERT_STATES, default: 'open', description: 'open : non prises en compte ; acknowledged : prises en compte ; all : toutes.' })
  @IsOptional()
  @IsIn(ALERT_STATES, { message: M.state })
  state?: (typeof ALERT_STATES)[number];

  @ApiPropertyOptional({ default: CONTINUITY_PAGE_SIZE, minimum: 1, maximum: CONTINUITY_PAGE_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.limit })
  @Min(1, { message: M.limit })
  @Max(CONTINUITY_PAGE_MAX, { message: M.limit })
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: CONTINUITY_MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.offset })
  @Min(0, { message: M.offset })
  @Max(CONTINUITY_MAX_OFFSET, { message: M.offset })
  offset?: number;
}

export class ContinuitySummaryQueryDto {
  @ApiPropertyOptional({ example: 'epci:200067742', description: '« epci:<SIREN> » ou « commune:<INSEE> » : les structures situées là.' })
  @IsOptional()
  @IsString({ message: M.territory })
  @Matches(TERRITORY_CODE_PATTERN, { message: M.territory })
  territory?: string;
}

/** A key as the alert list gives it (kind, subject, gap's start). */
const IsAlertKey = () =>
  ValidateBy({ name: 'isContinuityAlertKey', validator: { validate: (value: unknown) => parseAlertKey(value) !== null } }, { message: M.key });

export class AcknowledgeContinuityAlertDto implements AcknowledgeContinuityAlertRequest {
  @ApiProperty({ example: 'referral_unanswered~4f0c…~2026-03-02T09:15:00.000Z', description: 'La clé de l’alerte (liste des alertes).' })
  @IsString({ message: M.key })
  @IsAlertKey()
  key!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: CONTINUITY_ACK_COMMENT_MAX,
    description: 'Ce qui est fait (« relancé par téléphone »…), lu par la structure qui doit agir. Absent : inchangé ; null ou vide : effacé.',
  })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.comment })
  @MaxLength(CONTINUITY_ACK_COMMENT_MAX, { message: M.comment })
  comment?: string | null;
}
