import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STRUCTURE_TYPES, type CreateStructureRequest, type StructureType, type UpdateStructureRequest } from '@passerelle/contracts';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { FRENCH_PHONE } from '../phone';
import { IfPresent, IsSiret, NormalizeInsee, NormalizePhone, NormalizeSiret, Trim, TrimToNull } from './transforms';

export const INSEE_CODE = /^[0-9][0-9AB][0-9]{3}$/;

const M = {
  name: 'Le nom est obligatoire et comporte au plus 200 caractères.',
  type: `Type de structure inconnu (valeurs possibles : ${STRUCTURE_TYPES.join(', ')}).`,
  siretFormat: 'Le SIRET comporte 14 chiffres.',
  siretKey: 'Ce SIRET n’existe pas : sa clé de contrôle est incorrecte. Vérifiez les 14 chiffres.',
  email: 'Adresse électronique invalide.',
  phone: 'Numéro de téléphone invalide : 10 chiffres, par ex. 04 92 00 00 00.',
  insee: 'Code INSEE de commune invalide (5 caractères, par ex. 05061).',
  active: 'La valeur de « active » doit être vrai ou faux.',
};

export class CreateStructureDto implements CreateStructureRequest {
  @ApiProperty({ example: 'CCAS de Gap', maxLength: 200 })
  @Trim()
  @IsString({ message: M.name })
  @Length(1, 200, { message: M.name })
  name!: string;

  @ApiProperty({ enum: STRUCTURE_TYPES, example: 'ccas' })
  @IsIn(STRUCTURE_TYPES, { message: M.type })
  type!: StructureType;

  @ApiPropertyOptional({ type: String, nullable: true, example: '73282932000074', description: '14 chiffres (espaces acceptés), clé de Luhn vérifiée' })
  @NormalizeSiret()
  @IsOptional()
  @Matches(/^[0-9]{14}$/, { message: M.siretFormat })
  @IsSiret({ message: M.siretKey })
  siret?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'accueil@ccas-gap.fr' })
  @TrimToNull()
  @IsOptional()
  @IsEmail({}, { message: M.email })
  @MaxLength(254, { message: M.email })
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '04 92 00 00 00', description: 'Enregistré sous la forme 0492000000' })
  @NormalizePhone()
  @IsOptional()
  @Matches(FRENCH_PHONE, { message: M.phone })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '05061', description: 'Code INSEE d’une commune du département' })
  @NormalizeInsee()
  @IsOptional()
  @Matches(INSEE_CODE, { message: M.insee })
  communeInsee?: string | null;
}

/** Partial update: an absent field is unchanged; null clears an optional field. */
export class UpdateStructureDto implements UpdateStructureRequest {
  @ApiPropertyOptional({ example: 'CCAS de Gap', maxLength: 200 })
  @Trim()
  @IfPresent()
  @IsString({ message: M.name })
  @Length(1, 200, { message: M.name })
  name?: string;

  @ApiPropertyOptional({ enum: STRUCTURE_TYPES })
  @IfPresent()
  @IsIn(STRUCTURE_TYPES, { message: M.type })
  type?: StructureType;

  @ApiPropertyOptional({ type: String, nullable: true, example: '73282932000074' })
  @NormalizeSiret()
  @IsOptional()
  @Matches(/^[0-9]{14}$/, { message: M.siretFormat })
  @IsSiret({ message: M.siretKey })
  siret?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @TrimToNull()
  @IsOptional()
  @IsEmail({}, { message: M.email })
  @MaxLength(254, { message: M.email })
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '04 92 00 00 00' })
  @NormalizePhone()
  @IsOptional()
  @Matches(FRENCH_PHONE, { message: M.phone })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '05061' })
  @NormalizeInsee()
  @IsOptional()
  @Matches(INSEE_CODE, { message: M.insee })
  communeInsee?: string | null;

  @ApiPropertyOptional({ description: 'Réservé à l’administrateur de la plateforme' })
  @IfPresent()
  @IsBoolean({ message: M.active })
  active?: boolean;
}

export class ListStructuresQuery {
  @ApiPropertyOptional({ enum: STRUCTURE_TYPES })
  @IsOptional()
  @IsIn(STRUCTURE_TYPES, { message: M.type })
  type?: StructureType;

  @ApiPropertyOptional({ description: 'Nom de la structure ou de sa commune (sans accents ni casse)' })
  @Trim()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
