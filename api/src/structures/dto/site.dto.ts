import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SITE_KINDS, type CreateSiteRequest, type SiteKind, type UpdateSiteRequest } from '@passerelle/contracts';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { INSEE_CODE } from './structure.dto';
import { IfPresent, IsOpeningHours, IsRecurrence, NormalizeInsee, NormalizeOpeningHours, NormalizeRecurrence, Trim, TrimToNull } from './transforms';

const M = {
  name: 'Le nom du lieu est obligatoire et comporte au plus 200 caractères.',
  kind: 'Type de lieu inconnu : « fixed » (lieu fixe) ou « itinerant » (permanence itinérante).',
  address: 'L’adresse comporte au plus 500 caractères.',
  insee: 'Code INSEE de commune invalide (5 caractères, par ex. 05061).',
  openingHours: 'Horaires invalides : utilisez la syntaxe OpenStreetMap, par ex. « Mo-Fr 08:30-12:00,13:30-17:00 » ou « Tu 09:00-12:00 ».',
  recurrence: 'Récurrence invalide : utilisez une règle iCalendar (RRULE), par ex. « FREQ=WEEKLY;BYDAY=TU » (chaque mardi) ou « FREQ=MONTHLY;BYDAY=1TH » (le premier jeudi du mois).',
  recurrenceLabel: 'La description de la récurrence comporte au plus 300 caractères.',
  active: 'La valeur de « active » doit être vrai ou faux.',
};

export class CreateSiteDto implements CreateSiteRequest {
  @ApiProperty({ example: 'France Services Briançon', maxLength: 200 })
  @Trim()
  @IsString({ message: M.name })
  @Length(1, 200, { message: M.name })
  name!: string;

  @ApiProperty({ enum: SITE_KINDS })
  @IsIn(SITE_KINDS, { message: M.kind })
  kind!: SiteKind;

  @ApiPropertyOptional({ type: String, nullable: true, example: '1 rue Aspirant Jan' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.address })
  @MaxLength(500, { message: M.address })
  address?: string | null;

  @ApiProperty({ example: '05023', description: 'Code INSEE d’une commune du département' })
  @NormalizeInsee()
  @Matches(INSEE_CODE, { message: M.insee })
  communeInsee!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Mo-Fr 09:00-12:00; Tu,Th 13:30-17:00', description: 'Syntaxe OpenStreetMap opening_hours (enregistrée sous sa forme canonique)' })
  @NormalizeOpeningHours()
  @IsOptional()
  @MaxLength(500, { message: M.openingHours })
  @IsOpeningHours({ message: M.openingHours })
  openingHours?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'FREQ=WEEKLY;BYDAY=TU', description: 'RRULE iCalendar ; obligatoire pour une permanence itinérante' })
  @NormalizeRecurrence()
  @IsOptional()
  @MaxLength(500, { message: M.recurrence })
  @IsRecurrence({ message: M.recurrence })
  recurrence?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Chaque mardi de 9 h à 12 h, place de la mairie' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.recurrenceLabel })
  @MaxLength(300, { message: M.recurrenceLabel })
  recurrenceLabel?: string | null;
}

/** Partial update: an absent field is unchanged; null clears an optional field. */
export class UpdateSiteDto implements UpdateSiteRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @Trim()
  @IfPresent()
  @IsString({ message: M.name })
  @Length(1, 200, { message: M.name })
  name?: string;

  @ApiPropertyOptional({ enum: SITE_KINDS })
  @IfPresent()
  @IsIn(SITE_KINDS, { message: M.kind })
  kind?: SiteKind;

  @ApiPropertyOptional({ type: String, nullable: true })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.address })
  @MaxLength(500, { message: M.address })
  address?: string | null;

  @ApiPropertyOptional({ example: '05023' })
  @NormalizeInsee()
  @IfPresent()
  @Matches(INSEE_CODE, { message: M.insee })
  communeInsee?: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  @NormalizeOpeningHours()
  @IsOptional()
  @MaxLength(500, { message: M.openingHours })
  @IsOpeningHours({ message: M.openingHours })
  openingHours?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @NormalizeRecurrence()
  @IsOptional()
  @MaxLength(500, { message: M.recurrence })
  @IsRecurrence({ message: M.recurrence })
  recurrence?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.recurrenceLabel })
  @MaxLength(300, { message: M.recurrenceLabel })
  recurrenceLabel?: string | null;

  @ApiPropertyOptional()
  @IfPresent()
  @IsBoolean({ message: M.active })
  active?: boolean;
}
