import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  DIRECTORY_SEARCH_DEFAULT_LIMIT,
  DIRECTORY_SEARCH_MAX_LIMIT,
  NEED_BOUQUET_CODES,
  type DirectorySearchQuery,
  type NeedBouquetCode,
} from '@passerelle/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { INSEE_CODE } from '../../structures/dto/structure.dto';
import { NormalizeInsee, Trim } from '../../structures/dto/transforms';

const M = {
  bouquet: 'Bouquet de services inconnu : un code de 1 à 18 est attendu.',
  commune: 'Code INSEE de commune invalide (5 caractères, par ex. 05046).',
  q: 'Les mots recherchés comportent au plus 200 caractères.',
  excludeOwn: 'La valeur de « excludeOwn » doit être true ou false.',
  limit: `Le nombre de résultats est un entier entre 1 et ${DIRECTORY_SEARCH_MAX_LIMIT}.`,
};

/** "true"/"false" of a query string as booleans; anything else is left for IsBoolean to refuse. */
const QueryBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value));

export class DirectorySearchQueryDto implements DirectorySearchQuery {
  @ApiPropertyOptional({ enum: NEED_BOUQUET_CODES, example: 14, description: 'Besoin : bouquet de services 1–18' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.bouquet })
  @IsIn(NEED_BOUQUET_CODES, { message: M.bouquet })
  bouquet?: NeedBouquetCode;

  @ApiPropertyOptional({ example: '05046', description: 'Code INSEE de la commune de la personne : services ouverts à cette commune, ceux qui y sont délivrés d’abord' })
  @NormalizeInsee()
  @IsOptional()
  @Matches(INSEE_CODE, { message: M.commune })
  commune?: string;

  @ApiPropertyOptional({ example: 'aide alimentaire', description: 'Mots du nom ou de la description (sans accents ni casse), tous requis' })
  @Trim()
  @IsOptional()
  @IsString({ message: M.q })
  @MaxLength(200, { message: M.q })
  q?: string;

  @ApiPropertyOptional({ description: 'Exclut les services de votre structure (cibles d’orientation)' })
  @QueryBoolean()
  @IsOptional()
  @IsBoolean({ message: M.excludeOwn })
  excludeOwn?: boolean;

  @ApiPropertyOptional({ default: DIRECTORY_SEARCH_DEFAULT_LIMIT, minimum: 1, maximum: DIRECTORY_SEARCH_MAX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.limit })
  @Min(1, { message: M.limit })
  @Max(DIRECTORY_SEARCH_MAX_LIMIT, { message: M.limit })
  limit?: number;
}
