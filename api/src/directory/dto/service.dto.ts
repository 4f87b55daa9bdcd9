import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  MOBILIZATION_MODES,
  NEED_BOUQUET_CODES,
  RECEPTION_MODES,
  SERVICE_COSTS,
  SERVICE_PUBLICS,
  SERVICE_ZONE_KINDS,
  DATA_INCLUSION_THEMATIQUES,
  type CreateServiceRequest,
  type MobilizationMode,
  type NeedBouquetCode,
  type ReceptionMode,
  type ServiceCost,
  type ServiceZoneKind,
  type UpdateServiceRequest,
} from '@passerelle/contracts';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { FRENCH_PHONE } from '../../structures/phone';
import { INSEE_CODE } from '../../structures/dto/structure.dto';
import { IfPresent, IsOpeningHours, NormalizeOpeningHours, NormalizePhone, Trim, TrimToNull } from '../../structures/dto/transforms';

export const MAX_ZONE_COMMUNES = 500;
export const MAX_SERVICE_SITES = 50;

const THEMATIQUE_ROOTS: readonly string[] = DATA_INCLUSION_THEMATIQUES.map((t) => t.code);
/** "logement-hebergement" or "logement-hebergement--mal-loges-sans-logis" (data·inclusion slugs; one published slug has a space). */
const THEMATIQUE = /^[a-z0-9]+(-[a-z0-9]+)*(--[a-z0-9]+([- ][a-z0-9]+)*)?$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const M = {
  name: 'Le nom du service est obligatoire et comporte au plus 150 caractères.',
  description: 'La description comporte au plus 4 000 caractères.',
  bouquets: 'Indiquez de 1 à 18 besoins couverts (bouquets de services), chacun une seule fois.',
  bouquet: 'Bouquet de services inconnu : un code de 1 à 18 est attendu.',
  thematiques: `Thématiques data·inclusion invalides : au plus 50, chacune une seule fois, de la forme « logement-hebergement » ou « logement-hebergement--mal-loges-sans-logis » (premier niveau connu : ${THEMATIQUE_ROOTS.join(', ')}).`,
  publics: `Publics invalides : au plus 20 codes data·inclusion, chacun une seule fois (par ex. ${SERVICE_PUBLICS.slice(0, 4).join(', ')}).`,
  accessConditions: 'Les conditions d’accès comportent au plus 2 000 caractères.',
  cost: `Coût inconnu (valeurs possibles : ${SERVICE_COSTS.join(', ')}).`,
  costDetails: 'Les précisions sur le coût comportent au plus 500 caractères.',
  receptionModes: `Modes d’accueil inconnus (valeurs possibles : ${RECEPTION_MODES.join(', ')}), chacun une seule fois.`,
  mobilizationModes: `Modes de mobilisation inconnus (valeurs possibles : ${MOBILIZATION_MODES.join(', ')}), chacun une seule fois.`,
  url: 'Adresse web invalide : une adresse complète est attendue, par ex. https://www.exemple.fr/rendez-vous (au plus 500 caractères).',
  documents: 'Documents à apporter : au plus 30, chacun de 1 à 200 caractères.',
  openingHours: 'Horaires invalides : utilisez la syntaxe OpenStreetMap, par ex. « Mo-Fr 08:30-12:00,13:30-17:00 » ou « Tu 09:00-12:00 ».',
  zoneKind: 'Zone d’intervention inconnue : « communes » (communes listées) ou « departement » (tout le département).',
  zoneCommunes: `Communes de la zone : codes INSEE de 5 caractères (par ex. 05046), chacun une seule fois, au plus ${MAX_ZONE_COMMUNES}.`,
  siteIds: `Lieux d’accueil : identifiants de lieux de la structure, chacun une seule fois, au plus ${MAX_SERVICE_SITES}.`,
  phone: 'Numéro de téléphone invalide : 10 chiffres, par ex. 04 92 00 00 00.',
  email: 'Adresse électronique invalide.',
  active: 'La valeur de « active » doit être vrai ou faux.',
};

/** Trimmed strings, empty ones dropped (a blank line in a list field is not an item). */
const NormalizeStringList = (fn: (value: string) => string = (v) => v) =>
  Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? fn(v.trim()) : v)).filter((v) => v !== '') : value,
  );

/** An http(s) address; the field is cleared by null or "". */
const NormalizeUrl = () => TrimToNull();
const IsWebAddress = (options?: ValidationOptions) => IsUrl({ protocols: ['http', 'https'], require_protocol: true }, options);

const IsThematique = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isThematique',
      validator: { validate: (v: unknown) => typeof v === 'string' && THEMATIQUE.test(v) && THEMATIQUE_ROOTS.includes(v.split('--')[0]) },
    },
    options,
  );

/**
 * The fields of a service. Absent means "unchanged" on PATCH (IfPresent / IsOptional); null clears an
 * optional field. Lists are replaced as a whole.
 */
class ServiceFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 4000, example: 'Accueil, écoute et accompagnement dans vos démarches liées au logement.' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.description })
  @MaxLength(4000, { message: M.description })
  description?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['logement-hebergement--etre-accompagne-pour-se-loger'], description: 'Thématiques data·inclusion' })
  @NormalizeStringList((v) => v.toLowerCase())
  @IfPresent()
  @IsArray({ message: M.thematiques })
  @ArrayMaxSize(50, { message: M.thematiques })
  @ArrayUnique({ message: M.thematiques })
  @IsThematique({ each: true, message: M.thematiques })
  thematiques?: string[];

  @ApiPropertyOptional({ type: [String], example: ['familles', 'jeunes'], description: `Publics data·inclusion (${SERVICE_PUBLICS.join(', ')})` })
  @NormalizeStringList((v) => v.toLowerCase())
  @IfPresent()
  @IsArray({ message: M.publics })
  @ArrayMaxSize(20, { message: M.publics })
  @ArrayUnique({ message: M.publics })
  @Matches(SLUG, { each: true, message: M.publics })
  @MaxLength(100, { each: true, message: M.publics })
  publics?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, example: 'Habiter la commune ; sur rendez-vous.' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.accessConditions })
  @MaxLength(2000, { message: M.accessConditions })
  accessConditions?: string | null;

  @ApiPropertyOptional({ enum: SERVICE_COSTS, nullable: true })
  @IsOptional()
  @IsIn(SERVICE_COSTS, { message: M.cost })
  cost?: ServiceCost | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'Participation de 10 % du prix des produits.' })
  @TrimToNull()
  @IsOptional()
  @IsString({ message: M.costDetails })
  @MaxLength(500, { message: M.costDetails })
  costDetails?: string | null;

  @ApiPropertyOptional({ enum: RECEPTION_MODES, isArray: true })
  @IfPresent()
  @IsArray({ message: M.receptionModes })
  @ArrayUnique({ message: M.receptionModes })
  @IsIn(RECEPTION_MODES, { each: true, message: M.receptionModes })
  receptionModes?: ReceptionMode[];

  @ApiPropertyOptional({ enum: MOBILIZATION_MODES, isArray: true })
  @IfPresent()
  @IsArray({ message: M.mobilizationModes })
  @ArrayUnique({ message: M.mobilizationModes })
  @IsIn(MOBILIZATION_MODES, { each: true, message: M.mobilizationModes })
  mobilizationModes?: MobilizationMode[];

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://www.exemple.fr/prendre-rendez-vous', description: 'Formulaire ou prise de rendez-vous en ligne' })
  @NormalizeUrl()
  @IsOptional()
  @MaxLength(500, { message: M.url })
  @IsWebAddress({ message: M.url })
  mobilizationUrl?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['Pièce d’identité', 'Justificatif de domicile de moins de 3 mois'] })
  @NormalizeStringList()
  @IfPresent()
  @IsArray({ message: M.documents })
  @ArrayMaxSize(30, { message: M.documents })
  @IsString({ each: true, message: M.documents })
  @Length(1, 200, { each: true, message: M.documents })
  documentsToBring?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Mo-Fr 09:00-12:00; Tu,Th 13:30-17:00', description: 'Syntaxe OpenStreetMap opening_hours (enregistrée sous sa forme canonique)' })
  @NormalizeOpeningHours()
  @IsOptional()
  @MaxLength(500, { message: M.openingHours })
  @IsOpeningHours({ message: M.openingHours })
  openingHours?: string | null;

  @ApiPropertyOptional({ enum: SERVICE_ZONE_KINDS, default: 'departement' })
  @IfPresent()
  @IsIn(SERVICE_ZONE_KINDS, { message: M.zoneKind })
  zoneKind?: ServiceZoneKind;

  @ApiPropertyOptional({ type: [String], example: ['05046', '05040'], description: 'Codes INSEE, obligatoires si zoneKind = communes (ignorés sinon)' })
  @NormalizeStringList((v) => v.toUpperCase())
  @IfPresent()
  @IsArray({ message: M.zoneCommunes })
  @ArrayMaxSize(MAX_ZONE_COMMUNES, { message: M.zoneCommunes })
  @ArrayUnique({ message: M.zoneCommunes })
  @Matches(INSEE_CODE, { each: true, message: M.zoneCommunes })
  zoneCommunes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Lieux d’accueil actifs de la structure du service (fixes ou permanences itinérantes)' })
  @IfPresent()
  @IsArray({ message: M.siteIds })
  @ArrayMaxSize(MAX_SERVICE_SITES, { message: M.siteIds })
  @ArrayUnique({ message: M.siteIds })
  @IsUUID('all', { each: true, message: M.siteIds })
  siteIds?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, example: '04 92 00 00 00', description: 'Enregistré sous la forme 0492000000' })
  @NormalizePhone()
  @IsOptional()
  @Matches(FRENCH_PHONE, { message: M.phone })
  contactPhone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'logement@exemple.fr' })
  @TrimToNull()
  @IsOptional()
  @IsEmail({}, { message: M.email })
  @MaxLength(254, { message: M.email })
  contactEmail?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://www.exemple.fr/logement' })
  @NormalizeUrl()
  @IsOptional()
  @MaxLength(500, { message: M.url })
  @IsWebAddress({ message: M.url })
  website?: string | null;
}

export class CreateServiceDto extends ServiceFieldsDto implements CreateServiceRequest {
  @ApiProperty({ example: 'Aide au logement (FSL)', maxLength: 150 })
  @Trim()
  @IsString({ message: M.name })
  @Length(1, 150, { message: M.name })
  name!: string;

  @ApiProperty({ enum: NEED_BOUQUET_CODES, isArray: true, example: [14], description: 'Besoins couverts : bouquets de services 1–18' })
  @IsArray({ message: M.bouquets })
  @ArrayMinSize(1, { message: M.bouquets })
  @ArrayMaxSize(18, { message: M.bouquets })
  @ArrayUnique({ message: M.bouquets })
  @IsInt({ each: true, message: M.bouquet })
  @IsIn(NEED_BOUQUET_CODES, { each: true, message: M.bouquet })
  bouquets!: NeedBouquetCode[];
}

/** Partial update: an absent field is unchanged; null clears an optional field; `active: false` withdraws the service. */
export class UpdateServiceDto extends ServiceFieldsDto implements UpdateServiceRequest {
  @ApiPropertyOptional({ maxLength: 150 })
  @Trim()
  @IfPresent()
  @IsString({ message: M.name })
  @Length(1, 150, { message: M.name })
  name?: string;

  @ApiPropertyOptional({ enum: NEED_BOUQUET_CODES, isArray: true })
  @IfPresent()
  @IsArray({ message: M.bouquets })
  @ArrayMinSize(1, { message: M.bouquets })
  @ArrayMaxSize(18, { message: M.bouquets })
  @ArrayUnique({ message: M.bouquets })
  @IsInt({ each: true, message: M.bouquet })
  @IsIn(NEED_BOUQUET_CODES, { each: true, message: M.bouquet })
  bouquets?: NeedBouquetCode[];

  @ApiPropertyOptional({ description: 'false : retire le service de l’annuaire ; true : le republie' })
  @IfPresent()
  @IsBoolean({ message: M.active })
  active?: boolean;
}
