import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BIRTH_DATE_PRECISIONS,
  CONTACT_PREFERENCES,
  HOUSEHOLD_SITUATIONS,
  NATIONALITY_GROUPS,
  type BirthDatePrecision,
  type ContactPreference,
  type CreatePersonRequest,
  type HouseholdSituation,
  type MergePersonsRequest,
  type NationalityGroup,
  type PersonSearchQuery,
  type UpdatePersonRequest,
} from '@passerelle/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { INSEE_CODE } from '../../structures/dto/structure.dto';
import { IfPresent, NormalizeInsee, NormalizePhone, Trim, TrimToNull } from '../../structures/dto/transforms';
import { FRENCH_PHONE } from '../../structures/phone';
import { isPlausibleBirthDate, parseBirthDate } from '../birth-date';

export const NAME_MAX = 100;
export const FIRST_NAMES_MAX = 150;
export const LANGUAGES_MAX = 10;

const M = {
  usageLastName: `Le nom d’usage comporte au plus ${NAME_MAX} caractères : des lettres, espaces, traits d’union ou apostrophes.`,
  birthLastName: `Le nom de naissance comporte au plus ${NAME_MAX} caractères : des lettres, espaces, traits d’union ou apostrophes.`,
  firstNames: `Les prénoms comportent au plus ${FIRST_NAMES_MAX} caractères : des lettres, espaces, traits d’union ou apostrophes.`,
  birthDate: 'Date de naissance invalide : AAAA-MM-JJ, ou AAAA-MM, ou seulement l’année AAAA si la date exacte n’est pas connue.',
  birthDateRange: 'La date de naissance ne peut être ni dans le futur, ni avant 1900.',
  birthDatePrecision: `Précision de la date de naissance inconnue (valeurs possibles : ${BIRTH_DATE_PRECISIONS.join(', ')}).`,
  insee: 'Code INSEE de commune invalide (5 caractères, par ex. 05061).',
  noStableHome: 'La valeur de « sans domicile stable » doit être vrai ou faux.',
  domiciliation: 'La domiciliation comporte au plus 300 caractères.',
  phone: 'Numéro de téléphone invalide : 10 chiffres, par ex. 06 12 34 56 78.',
  email: 'Adresse électronique invalide.',
  languages: `Langues parlées : une liste d’au plus ${LANGUAGES_MAX} langues, chacune d’au plus 40 caractères.`,
  needsInterpreter: 'La valeur de « besoin d’interprète » doit être vrai ou faux.',
  contactPreference: `Préférence de contact inconnue (valeurs possibles : ${CONTACT_PREFERENCES.join(', ')}).`,
  household: `Situation familiale inconnue (valeurs possibles : ${HOUSEHOLD_SITUATIONS.join(', ')}).`,
  dependentChildren: 'Le nombre d’enfants à charge est un entier entre 0 et 30.',
  nationalityGroup: `Nationalité : France, Union européenne ou hors UE seulement (valeurs : ${NATIONALITY_GROUPS.join(', ')}).`,
  confirm: 'La valeur de « confirmNotDuplicate » doit être vrai ou faux.',
  q: 'Saisissez le texte à rechercher (au plus 200 caractères) : nom(s), téléphone ou adresse électronique.',
  birth: 'Date de naissance de recherche invalide : AAAA-MM-JJ ou AAAA.',
  limit: 'Le nombre de résultats est un entier entre 1 et 50.',
  sourcePersonId: 'Identifiant de la personne à fusionner invalide.',
  mergeConfirm: 'La valeur de « confirm » doit être vrai ou faux.',
};

/** Letters (accents, any script), then letters, spaces, hyphens, apostrophes or dots: "N'Diaye", "Saint-Just", "Mc Gill". */
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M}'’.\- ]*$/u;

/** Trims, collapses inner spaces and composes accents (NFC); an empty string clears the field (null). */
const NormalizeName = () => TrimToNull((v) => v.normalize('NFC').replace(/\s+/g, ' '));

/** Trimmed, de-duplicated (case-insensitive) list of languages; empty entries dropped. */
const NormalizeLanguages = () =>
  Transform(({ value }: { value: unknown }) => {
    if (!Array.isArray(value)) return value;
    const seen = new Set<string>();
    const out: unknown[] = [];
    for (const item of value) {
      if (typeof item !== 'string') {
        out.push(item);
        continue;
      }
      const language = item.trim().replace(/\s+/g, ' ');
      if (language && !seen.has(language.toLowerCase())) {
        seen.add(language.toLowerCase());
        out.push(language);
      }
    }
    return out;
  });

/** A birth date in one of the accepted formats that is a real calendar date. */
const IsBirthDateFormat = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isBirthDateFormat', validator: { validate: (v: unknown) => typeof v === 'string' && parseBirthDate(v) !== null } }, options);

/** Not in the future, not before 1900 (a wrong format is reported by IsBirthDateFormat). */
const IsPlausibleBirthDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isPlausibleBirthDate',
      validator: {
        validate: (v: unknown) => {
          const birth = typeof v === 'string' ? parseBirthDate(v) : null;
          return birth === null || isPlausibleBirthDate(birth);
        },
      },
    },
    options,
  );

/**
 * The identity of a person, every field optional: on update, an absent field is unchanged and null
 * clears an optional one. No social-security number: the field does not exist (and unknown fields are refused).
 */
export class PersonIdentityDto implements UpdatePersonRequest {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'N’Diaye', maxLength: NAME_MAX, description: 'Nom d’usage' })
  @NormalizeName()
  @IsOptional()
  @IsString({ message: M.usageLastName })
  @MaxLength(NAME_MAX, { message: M.usageLastName })
  @Matches(PERSON_NAME, { message: M.usageLastName })
  usageLastName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: NAME_MAX, description: 'Nom de naissance, s’il diffère du nom d’usage' })
  @NormalizeName()
  @IsOptional()
  @IsString({ message: M.birthLastName })
  @MaxLength(NAME_MAX, { message: M.birthLastName })
  @Matches(PERSON_NAME, { message: M.birthLastName })
  birthLastName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Jean-Pierre', maxLength: FIRST_NAMES_MAX, description: 'Prénom(s)' })
  @NormalizeName()
  @IsOptional()
  @IsString({ message: M.firstNames })
  @MaxLength(FIRST_NAMES_MAX, { message: M.firstNames })
  @Matches(PERSON_NAME, { message: M.firstNames })
  firstNames?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '1984-06-12',
    description: 'AAAA-MM-JJ, AAAA-MM ou AAAA (date approximative : seule l’année est connue, enregistrée AAAA-01-01 avec la précision « year »)',
  })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.birthDate })
  @MaxLength(10, { message: M.birthDate })
  @IsBirthDateFormat({ message: M.birthDate })
  @IsPlausibleBirthDate({ message: M.birthDateRange })
  birthDate?: string | null;

  @ApiPropertyOptional({ enum: BIRTH_DATE_PRECISIONS, nullable: true, description: 'Déduite du format de birthDate si absente' })
  @IsOptional()
  @IsIn(BIRTH_DATE_PRECISIONS, { message: M.birthDatePrecision })
  birthDatePrecision?: BirthDatePrecision | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '05023', description: 'Commune de résidence : code INSEE d’une commune du département' })
  @NormalizeInsee()
  @IsOptional()
  @Matches(INSEE_CODE, { message: M.insee })
  communeInsee?: string | null;

  @ApiPropertyOptional({ description: 'Sans domicile stable (la domiciliation dit alors où le courrier est reçu)' })
  @IfPresent()
  @IsBoolean({ message: M.noStableHome })
  noStableHome?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'CCAS de Gap, 5 rue Colonel Roux', maxLength: 300 })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.domiciliation })
  @MaxLength(300, { message: M.domiciliation })
  domiciliation?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '06 12 34 56 78', description: 'Enregistré sous la forme 0612345678' })
  @NormalizePhone()
  @IsOptional()
  @MaxLength(30, { message: M.phone })
  @Matches(FRENCH_PHONE, { message: M.phone })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'jp.ndiaye@example.org' })
  @TrimToNull((v) => v.toLowerCase())
  @IsOptional()
  @MaxLength(254, { message: M.email })
  @IsEmail({}, { message: M.email })
  email?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['français', 'wolof'], maxItems: LANGUAGES_MAX, description: 'Langues parlées' })
  @NormalizeLanguages()
  @IfPresent()
  @IsArray({ message: M.languages })
  @ArrayMaxSize(LANGUAGES_MAX, { message: M.languages })
  @IsString({ each: true, message: M.languages })
  @Length(1, 40, { each: true, message: M.languages })
  languages?: string[];

  @ApiPropertyOptional({ description: 'Besoin d’un interprète' })
  @IfPresent()
  @IsBoolean({ message: M.needsInterpreter })
  needsInterpreter?: boolean;

  @ApiPropertyOptional({ enum: CONTACT_PREFERENCES, nullable: true })
  @IsOptional()
  @IsIn(CONTACT_PREFERENCES, { message: M.contactPreference })
  contactPreference?: ContactPreference | null;

  @ApiPropertyOptional({ enum: HOUSEHOLD_SITUATIONS, nullable: true })
  @IsOptional()
  @IsIn(HOUSEHOLD_SITUATIONS, { message: M.household })
  household?: HouseholdSituation | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, maximum: 30 })
  @IsOptional()
  @IsInt({ message: M.dependentChildren })
  @Min(0, { message: M.dependentChildren })
  @Max(30, { message: M.dependentChildren })
  dependentChildren?: number | null;

  @ApiPropertyOptional({ enum: NATIONALITY_GROUPS, nullable: true, description: 'Seulement France / UE / hors UE' })
  @IsOptional()
  @IsIn(NATIONALITY_GROUPS, { message: M.nationalityGroup })
  nationalityGroup?: NationalityGroup | null;
}

export class UpdatePersonDto extends PersonIdentityDto implements UpdatePersonRequest {}

export class CreatePersonDto extends PersonIdentityDto implements CreatePersonRequest {
  @ApiPropertyOptional({ description: 'Créer malgré des personnes ressemblantes (après avoir vu l’avertissement 409 POSSIBLE_DUPLICATE)' })
  @IfPresent()
  @IsBoolean({ message: M.confirm })
  confirmNotDuplicate?: boolean;
}

export class SearchPersonsQuery implements PersonSearchQuery {
  @ApiProperty({ description: 'Nom(s) dans n’importe quel ordre (sans accents ni casse, fautes tolérées), téléphone ou adresse électronique' })
  @Trim()
  @IsString({ message: M.q })
  @Length(1, 200, { message: M.q })
  q!: string;

  @ApiPropertyOptional({ example: '1984', description: 'Date (AAAA-MM-JJ) ou année (AAAA) de naissance : filtre et classe' })
  @Trim()
  @IsOptional()
  @Matches(/^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$/, { message: M.birth })
  @IsBirthDateFormat({ message: M.birth })
  birth?: string;

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: M.limit })
  @Min(1, { message: M.limit })
  @Max(50, { message: M.limit })
  limit?: number;
}

export class MergePersonsDto implements MergePersonsRequest {
  @ApiProperty({ format: 'uuid', description: 'Le dossier qui disparaît : tout est rattaché au dossier cible (celui du chemin)' })
  @IsUUID('all', { message: M.sourcePersonId })
  sourcePersonId!: string;

  @ApiProperty({ description: 'Doit valoir true : la fusion est irréversible' })
  @IsBoolean({ message: M.mergeConfirm })
  confirm!: boolean;
}
