import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type InviteAgentRequest, type Role, type SetConsentOverrideRequest } from '@passerelle/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class InviteAgentDto implements InviteAgentRequest {
  @ApiProperty({ example: 'camille.arnaud@france-services.fr' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'Adresse électronique invalide.' })
  @MaxLength(254, { message: 'Adresse électronique invalide.' })
  email!: string;

  @ApiProperty({ example: 'Camille', maxLength: 100 })
  @Transform(trim)
  @IsString({ message: 'Le prénom est obligatoire.' })
  @Length(1, 100, { message: 'Le prénom est obligatoire et comporte au plus 100 caractères.' })
  firstName!: string;

  @ApiProperty({ example: 'Arnaud', maxLength: 100 })
  @Transform(trim)
  @IsString({ message: 'Le nom est obligatoire.' })
  @Length(1, 100, { message: 'Le nom est obligatoire et comporte au plus 100 caractères.' })
  lastName!: string;

  @ApiProperty({ enum: ROLES, example: 'reception_agent' })
  @IsIn(ROLES, { message: `Rôle inconnu (valeurs possibles : ${ROLES.join(', ')}).` })
  role!: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Obligatoire pour l’administrateur de la plateforme (sauf rôle platform_admin)' })
  @IsOptional()
  @IsUUID('all', { message: 'Identifiant de structure invalide.' })
  structureId?: string;
}

export class ListAgentsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Par défaut : la structure de l’administrateur ; toutes pour l’administrateur de la plateforme' })
  @IsOptional()
  @IsUUID('all', { message: 'Identifiant de structure invalide.' })
  structureId?: string;
}

export class SetConsentOverrideDto implements SetConsentOverrideRequest {
  @IsBoolean()
  allowed!: boolean;
}
