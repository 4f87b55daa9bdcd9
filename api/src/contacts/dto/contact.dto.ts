import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_ANSWERS,
  CONTACT_CHANNELS,
  NEED_BOUQUET_CODES,
  type AttachContactRequest,
  type ContactAnswer,
  type ContactChannel,
  type ContactNeed,
  type CreateContactRequest,
  type NeedBouquetCode,
} from '@passerelle/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { TrimToNull } from '../../structures/dto/transforms';
import { hasDuplicateNeeds, occurredAtProblem } from '../contact-rules';

export const MAX_NEEDS = NEED_BOUQUET_CODES.length;
export const MAX_LINKED_REQUESTS = 50;

const M = {
  clientRequestId: 'Identifiant de requête (clientRequestId) invalide : un UUID généré par le client est attendu.',
  personId: 'Identifiant de personne invalide.',
  siteId: 'Identifiant de lieu d’accueil invalide.',
  channel: `Canal inconnu (valeurs possibles : ${CONTACT_CHANNELS.join(', ')}).`,
  answer: `Réponse apportée inconnue (valeurs possibles : ${CONTACT_ANSWERS.join(', ')}).`,
  duration: 'La durée est un nombre entier de minutes entre 0 et 600.',
  needs: `Indiquez au moins un besoin et au plus ${MAX_NEEDS}.`,
  needsDuplicate: 'Le même besoin (bouquet et sous-besoin) est indiqué deux fois.',
  bouquet: 'Bouquet de services inconnu : un code de 1 à 18 est attendu.',
  subNeed: 'Le sous-besoin comporte au plus 100 caractères.',
  detail: 'La précision du besoin comporte au plus 500 caractères.',
  summary: 'Le résumé partagé comporte au plus 2 000 caractères.',
  privateNote: 'La note privée comporte au plus 4 000 caractères.',
  openRequests: 'Les demandes à ouvrir sont désignées par la position du besoin dans la liste (0, 1, 2…), chacune une seule fois.',
  requestIds: `Les demandes liées sont des identifiants de demandes, chacune une seule fois (au plus ${MAX_LINKED_REQUESTS}).`,
};

/** The contact's date-time: ISO 8601 with an offset, within [now − 1 year, now + 5 minutes] (checked when validated). */
const IsContactInstant = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isContactInstant',
      validator: {
        validate: (value: unknown) => occurredAtProblem(value, new Date()) === null,
        defaultMessage: (args) => occurredAtProblem(args?.value, new Date()) ?? 'Date invalide.',
      },
    },
    options,
  );

const NoDuplicateNeeds = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'noDuplicateNeeds',
      validator: {
        validate: (value: unknown) =>
          !Array.isArray(value) || !hasDuplicateNeeds(value.filter((n): n is { bouquet: unknown } => typeof n === 'object' && n !== null)),
      },
    },
    options,
  );

export class ContactNeedDto implements ContactNeed {
  @ApiProperty({ enum: NEED_BOUQUET_CODES, example: 5, description: 'Bouquet de services (1–18, classification ADRETS)' })
  @IsInt({ message: M.bouquet })
  @IsIn(NEED_BOUQUET_CODES, { message: M.bouquet })
  bouquet!: NeedBouquetCode;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Prime d’activité', maxLength: 100 })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.subNeed })
  @MaxLength(100, { message: M.subNeed })
  subNeed: string | null = null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.detail })
  @MaxLength(500, { message: M.detail })
  detail: string | null = null;
}

export class CreateContactDto implements CreateContactRequest {
  @ApiProperty({ format: 'uuid', description: 'Généré par le client : renvoyer la même création rend le même contact (idempotent).' })
  @IsUUID('all', { message: M.clientRequestId })
  clientRequestId!: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Absent : contact anonyme, d’information seule (compté dans les statistiques).' })
  @IsOptional()
  @IsUUID('all', { message: M.personId })
  personId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Un lieu d’accueil de votre structure' })
  @IsOptional()
  @IsUUID('all', { message: M.siteId })
  siteId?: string | null;

  @ApiProperty({ enum: CONTACT_CHANNELS })
  @IsIn(CONTACT_CHANNELS, { message: M.channel })
  channel!: ContactChannel;

  @ApiPropertyOptional({ format: 'date-time', description: 'Par défaut : maintenant. Au plus 5 minutes dans le futur, au plus un an en arrière.' })
  @IsOptional()
  @IsContactInstant()
  occurredAt?: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 600 })
  @IsOptional()
  @IsInt({ message: M.duration })
  @Min(0, { message: M.duration })
  @Max(600, { message: M.duration })
  durationMinutes?: number | null;

  @ApiProperty({ type: [ContactNeedDto], minItems: 1, maxItems: MAX_NEEDS })
  @IsArray({ message: M.needs })
  @ArrayMinSize(1, { message: M.needs })
  @ArrayMaxSize(MAX_NEEDS, { message: M.needs })
  @ValidateNested({ each: true })
  @NoDuplicateNeeds({ message: M.needsDuplicate })
  @Type(() => ContactNeedDto)
  needs!: ContactNeedDto[];

  @ApiProperty({ enum: CONTACT_ANSWERS })
  @IsIn(CONTACT_ANSWERS, { message: M.answer })
  answer!: ContactAnswer;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, description: 'Résumé partagé avec les structures qui suivent la personne' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.summary })
  @MaxLength(2000, { message: M.summary })
  summary?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 4000, description: 'Visible des seuls agents de votre structure' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.privateNote })
  @MaxLength(4000, { message: M.privateNote })
  privateNote?: string | null;

  @ApiPropertyOptional({ type: [Number], example: [0], description: 'Ouvre une demande pour chacun de ces besoins (positions dans `needs`) ; personne requise.' })
  @IsOptional()
  @IsArray({ message: M.openRequests })
  @ArrayMaxSize(MAX_NEEDS, { message: M.openRequests })
  @ArrayUnique({ message: M.openRequests })
  @IsInt({ each: true, message: M.openRequests })
  @Min(0, { each: true, message: M.openRequests })
  @Max(MAX_NEEDS - 1, { each: true, message: M.openRequests })
  openRequestsForNeeds?: number[];

  @ApiPropertyOptional({ type: [String], description: 'Demandes ouvertes ou en cours de la même personne que ce contact a touchées.' })
  @IsOptional()
  @IsArray({ message: M.requestIds })
  @ArrayMaxSize(MAX_LINKED_REQUESTS, { message: M.requestIds })
  @ArrayUnique({ message: M.requestIds })
  @IsUUID('all', { each: true, message: M.requestIds })
  requestIds?: string[];
}

export class AttachContactDto implements AttachContactRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: M.personId })
  personId!: string;
}
