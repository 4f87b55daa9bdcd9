import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACCESSIBILITY_LINKS,
  DATA_CATEGORIES,
  IN_CHARGE_KINDS,
  NEED_BOUQUET_CODES,
  REFERRAL_OUTCOMES,
  REFERRAL_PAGE_MAX,
  REFERRAL_PAGE_SIZE,
  REFERRAL_STATUSES,
  REFUSAL_REASONS,
  type AccessibilityLinkCode,
  type ChangeReferralStatusRequest,
  type CreateReferralRequest,
  type DataCategory,
  type InChargeKind,
  type NeedBouquetCode,
  type ReferralListQuery,
  type ReferralOutcome,
  type ReferralStatus,
  type RefusalReason,
} from '@passerelle/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { TrimToNull } from '../../structures/dto/transforms';

export const MAX_MESSAGE_LENGTH = 2000;
export const MAX_COMMENT_LENGTH = 1000;
export const MAX_OLDER_THAN_DAYS = 3650;
export const MAX_OFFSET = 100_000;

const M = {
  clientRequestId: 'Identifiant de requête (clientRequestId) invalide : un UUID généré par le client est attendu.',
  personId: 'Identifiant de personne invalide.',
  toStructureId: 'Identifiant de la structure destinataire invalide.',
  toServiceId: 'Identifiant de service invalide.',
  bouquet: 'Bouquet de services inconnu : un code de 1 à 18 est attendu.',
  message: `Le message comporte au plus ${MAX_MESSAGE_LENGTH} caractères.`,
  categories: `Catégories de données : une liste sans doublon parmi ${DATA_CATEGORIES.join(', ')}.`,
  fromContactId: 'Identifiant de contact invalide.',
  requestId: 'Identifiant de demande invalide.',
  status: `Statut inconnu (valeurs possibles : ${REFERRAL_STATUSES.join(', ')}).`,
  refusalReason: `Motif de refus inconnu (valeurs possibles : ${REFUSAL_REASONS.join(', ')}).`,
  redirectToStructureId: 'Identifiant de la structure de réorientation invalide.',
  redirectToServiceId: 'Identifiant du service de réorientation invalide.',
  inChargeKind: `Forme de prise en charge inconnue (valeurs possibles : ${IN_CHARGE_KINDS.join(', ')}).`,
  inChargeAt: 'Date de prise en charge invalide : format ISO 8601 avec fuseau attendu, par ex. 2026-03-12T09:30:00+01:00.',
  outcome: `Résultat inconnu (valeurs possibles : ${REFERRAL_OUTCOMES.join(', ')}).`,
  brokenLink: 'Maillon de la chaîne d’accessibilité inconnu : un code de 1 à 11 est attendu.',
  comment: `Le commentaire comporte au plus ${MAX_COMMENT_LENGTH} caractères.`,
  olderThanDays: `L’ancienneté est un nombre entier de jours entre 0 et ${MAX_OLDER_THAN_DAYS}.`,
  limit: `Le nombre de résultats est un entier entre 1 et ${REFERRAL_PAGE_MAX}.`,
  offset: `Le décalage est un entier entre 0 et ${MAX_OFFSET}.`,
};

const LINK_CODES = ACCESSIBILITY_LINKS.map((l) => l.code);

export class CreateReferralDto implements CreateReferralRequest {
  @ApiProperty({ format: 'uuid', description: 'Généré par le client : renvoyer la même création rend la même orientation (idempotent).' })
  @IsUUID('all', { message: M.clientRequestId })
  clientRequestId!: string;

  @ApiProperty({ format: 'uuid', description: 'Une personne que votre structure suit.' })
  @IsUUID('all', { message: M.personId })
  personId!: string;

  @ApiProperty({ format: 'uuid', description: 'Une structure active du territoire, autre que la vôtre.' })
  @IsUUID('all', { message: M.toStructureId })
  toStructureId!: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Un service actif de la structure destinataire (annuaire).' })
  @IsOptional()
  @IsUUID('all', { message: M.toServiceId })
  toServiceId?: string | null;

  @ApiProperty({ enum: NEED_BOUQUET_CODES, example: 14, description: 'Le besoin orienté (bouquet de services 1–18).' })
  @IsInt({ message: M.bouquet })
  @IsIn(NEED_BOUQUET_CODES, { message: M.bouquet })
  bouquet!: NeedBouquetCode;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_MESSAGE_LENGTH, description: 'Ce que la personne a accepté que le partenaire sache de sa demande.' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.message })
  @MaxLength(MAX_MESSAGE_LENGTH, { message: M.message })
  message?: string | null;

  @ApiProperty({
    enum: DATA_CATEGORIES,
    isArray: true,
    description: 'Catégories partagées avec le destinataire : chacune couverte par un consentement actif le nommant (409 CONSENT_REQUIRED sinon). Peut être vide.',
  })
  @IsArray({ message: M.categories })
  @ArrayUnique({ message: M.categories })
  @ArrayMaxSize(DATA_CATEGORIES.length, { message: M.categories })
  @IsIn(DATA_CATEGORIES, { each: true, message: M.categories })
  categories!: DataCategory[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Le contact de votre structure avec la personne d’où part l’orientation.' })
  @IsOptional()
  @IsUUID('all', { message: M.fromContactId })
  fromContactId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'La demande de la personne que l’orientation suit (ouverte ou en cours).' })
  @IsOptional()
  @IsUUID('all', { message: M.requestId })
  requestId?: string | null;
}

export class ChangeReferralStatusDto implements ChangeReferralStatusRequest {
  @ApiProperty({ enum: REFERRAL_STATUSES })
  @IsIn(REFERRAL_STATUSES, { message: M.status })
  status!: ReferralStatus;

  @ApiPropertyOptional({ enum: REFUSAL_REASONS, description: 'Obligatoire pour « refusée ».' })
  @IsOptional()
  @IsIn(REFUSAL_REASONS, { message: M.refusalReason })
  refusalReason?: RefusalReason;

  @ApiPropertyOptional({ format: 'uuid', description: 'Obligatoire pour « réorientée » : une nouvelle orientation lui est envoyée.' })
  @IsOptional()
  @IsUUID('all', { message: M.redirectToStructureId })
  redirectToStructureId?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Un service actif de la structure de réorientation.' })
  @IsOptional()
  @IsUUID('all', { message: M.redirectToServiceId })
  redirectToServiceId?: string | null;

  @ApiPropertyOptional({ enum: IN_CHARGE_KINDS, description: 'Obligatoire pour « prise en charge ».' })
  @IsOptional()
  @IsIn(IN_CHARGE_KINDS, { message: M.inChargeKind })
  inChargeKind?: InChargeKind;

  @ApiPropertyOptional({ format: 'date-time', description: 'Date du rendez-vous ou du premier contact ; par défaut maintenant ; au plus un an à l’avance, jamais avant l’envoi.' })
  @IsOptional()
  @IsString({ message: M.inChargeAt })
  inChargeAt?: string;

  @ApiPropertyOptional({ enum: REFERRAL_OUTCOMES, description: 'Obligatoire pour « clôturée ».' })
  @IsOptional()
  @IsIn(REFERRAL_OUTCOMES, { message: M.outcome })
  outcome?: ReferralOutcome;

  @ApiPropertyOptional({
    enum: LINK_CODES,
    nullable: true,
    description: 'Maillon rompu de la chaîne d’accessibilité (1–11) : obligatoire pour un refus et une clôture non réalisée ou abandon ; refusé pour une orientation réalisée.',
  })
  @IsOptional()
  @IsInt({ message: M.brokenLink })
  @IsIn(LINK_CODES, { message: M.brokenLink })
  brokenLink?: AccessibilityLinkCode | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_COMMENT_LENGTH, description: 'Obligatoire pour le motif « Autre » et le résultat « Autre ».' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.comment })
  @MaxLength(MAX_COMMENT_LENGTH, { message: M.comment })
  comment?: string | null;
}

export class ReferralListQueryDto implements ReferralListQuery {
  @ApiPropertyOptional({ enum: REFERRAL_STATUSES })
  @IsOptional()
  @IsIn(REFERRAL_STATUSES, { message: M.status })
  status?: ReferralStatus;

  @ApiPropertyOptional({ enum: NEED_BOUQUET_CODES })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.bouquet })
  @IsIn(NEED_BOUQUET_CODES, { message: M.bouquet })
  bouquet?: NeedBouquetCode;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_OLDER_THAN_DAYS, description: 'Seulement les orientations envoyées il y a plus de N jours.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.olderThanDays })
  @Min(0, { message: M.olderThanDays })
  @Max(MAX_OLDER_THAN_DAYS, { message: M.olderThanDays })
  olderThanDays?: number;

  @ApiPropertyOptional({ default: REFERRAL_PAGE_SIZE, minimum: 1, maximum: REFERRAL_PAGE_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.limit })
  @Min(1, { message: M.limit })
  @Max(REFERRAL_PAGE_MAX, { message: M.limit })
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.offset })
  @Min(0, { message: M.offset })
  @Max(MAX_OFFSET, { message: M.offset })
  offset?: number;
}
