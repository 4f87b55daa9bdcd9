import { ApiProperty } from '@nestjs/swagger';
import type { ActivateAccountRequest, LoginRequest, SwitchMembershipRequest } from '@passerelle/contracts';
import { IsEmail, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'accueil@demo.passerelle.fr' })
  @IsEmail({}, { message: 'Adresse électronique invalide.' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Passerelle-Demo-2026!' })
  @IsString()
  @IsNotEmpty({ message: 'Le mot de passe est obligatoire.' })
  @MaxLength(1024)
  password!: string;
}

export class ActivateAccountDto implements ActivateAccountRequest {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(128) token!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1024) password!: string;
}

export class SwitchMembershipDto implements SwitchMembershipRequest {
  @ApiProperty() @IsUUID('all', { message: 'Identifiant d’affectation invalide.' }) membershipId!: string;
}
