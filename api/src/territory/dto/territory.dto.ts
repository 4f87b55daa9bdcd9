import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CreateTenantRequest } from '@passerelle/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class CreateTenantDto implements CreateTenantRequest {
  @ApiProperty({ example: '05', description: 'Code INSEE du département' })
  @Matches(/^([0-9]{2}|2A|2B|97[1-6])$/, { message: 'Code de département INSEE invalide (ex. 05, 2A, 974).' })
  code!: string;
}

export class SearchCommunesQuery {
  @ApiPropertyOptional({ description: 'Nom (sans accents ni casse), code INSEE ou code postal' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 20;
}
