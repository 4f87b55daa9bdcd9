import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONSENT_COLLECTION_METHODS,
  CONSENT_PURPOSES,
  CONSENT_RECIPIENT_KINDS,
  DATA_CATEGORIES,
  OVERRIDE_LEGAL_BASES,
  type ConsentCollectionMethod,
  type ConsentPurpose,
  type ConsentRecipientKind,
  type CreateAccessOverrideRequest,
  type CreateConsentRequest,
  type DataCategory,
  type OverrideLegalBasis,
} from '@passerelle/contracts';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { Trim } from '../../structures/dto/transforms';

export class CreateConsentDto implements CreateConsentRequest {
  @ApiProperty({ format: 'uuid', description: 'Clé d’idempotence : la même clé deux fois enregistre un seul consentement.' })
  @IsUUID()
  clientRequestId!: string;

  @ApiProperty({ enum: CONSENT_PURPOSES })
  @IsIn(CONSENT_PURPOSES)
  purpose!: ConsentPurpose;

  @ApiProperty({ enum: CONSENT_RECIPIENT_KINDS, description: 'structure : une structure nommée ; parcours : les structures qui suivent la personne ; network : tout le réseau (visibilité seulement).' })
  @IsIn(CONSENT_RECIPIENT_KINDS)
  recipientKind!: ConsentRecipientKind;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  recipientStructureId?: string | null;

  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(DATA_CATEGORIES.length)
  @IsIn(DATA_CATEGORIES, { each: true })
  categories!: DataCategory[];

  @ApiProperty({ enum: CONSENT_COLLECTION_METHODS })
  @IsIn(CONSENT_COLLECTION_METHODS)
  collectionMethod!: ConsentCollectionMethod;

  @ApiProperty({ description: 'La version de la notice d’information présentée à la personne.' })
  @IsString()
  @MaxLength(16)
  noticeVersion!: string;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: 'Fin de validité, facultative.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validUntil?: string | null;
}

export class CreateAccessOverrideDto implements CreateAccessOverrideRequest {
  @ApiProperty({ enum: OVERRIDE_LEGAL_BASES })
  @IsIn(OVERRIDE_LEGAL_BASES)
  legalBasis!: OverrideLegalBasis;

  @ApiProperty({ minLength: 10, maxLength: 1000 })
  @Trim()
  @IsString()
  @Length(10, 1000, { message: 'Expliquez le motif en 10 à 1 000 caractères.' })
  justification!: string;
}
