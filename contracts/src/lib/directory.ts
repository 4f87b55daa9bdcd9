import type { NeedBouquetCode } from './needs';
import type { Role } from './roles';
import type { StructureType } from './structures';

/**
 * The directory of partner services (annuaire): what each structure offers, to whom, where, when and
 * how to reach it. Vocabularies follow the data·inclusion schema (frais, modes_accueil,
 * modes_orientation_beneficiaire, zone_diffusion_type), mapped to English codes here.
 */

/** data·inclusion `frais`: gratuit, gratuit-sous-conditions, payant, adhesion. */
export const SERVICE_COSTS = ['free', 'free_under_conditions', 'paid', 'membership'] as const;
export type ServiceCost = (typeof SERVICE_COSTS)[number];
export const SERVICE_COST_LABELS: Record<ServiceCost, string> = {
  free: 'Gratuit',
  free_under_conditions: 'Gratuit sous conditions',
  paid: 'Payant',
  membership: 'Adhésion',
};

/** data·inclusion `modes_accueil`: en-presentiel, a-distance. */
export const RECEPTION_MODES = ['in_person', 'remote'] as const;
export type ReceptionMode = (typeof RECEPTION_MODES)[number];
export const RECEPTION_MODE_LABELS: Record<ReceptionMode, string> = {
  in_person: 'En présentiel',
  remote: 'À distance',
};

/** data·inclusion `modes_orientation_beneficiaire`: se-presenter, telephoner, envoyer-un-mail, completer-le-formulaire-dadhesion, autre. */
export const MOBILIZATION_MODES = ['show_up', 'phone', 'email', 'online_form', 'other'] as const;
export type MobilizationMode = (typeof MOBILIZATION_MODES)[number];
export const MOBILIZATION_MODE_LABELS: Record<MobilizationMode, string> = {
  show_up: 'Se présenter',
  phone: 'Téléphoner',
  email: 'Envoyer un courriel',
  online_form: 'Remplir un formulaire en ligne',
  other: 'Autre',
};

/** Where the service is open to people: listed communes, or the whole département (data·inclusion `zone_diffusion_type`). */
export const SERVICE_ZONE_KINDS = ['communes', 'departement'] as const;
export type ServiceZoneKind = (typeof SERVICE_ZONE_KINDS)[number];

/** A service not verified for this many months is flagged to its structure's admin. */
export const SERVICE_FRESHNESS_MONTHS = 6;

/** Who searches the directory (and reads its services): the agents who orient people, and the coordinators. */
export const DIRECTORY_ROLES: readonly Role[] = ['reception_agent', 'social_worker', 'structure_admin', 'coordinator'];

/** data·inclusion `publics` (referentiel "publics"); other slugs (older schema versions, imports) are kept as given. */
export const SERVICE_PUBLICS = [
  'actifs',
  'beneficiaires-des-minimas-sociaux',
  'demandeurs-emploi',
  'etudiants',
  'familles',
  'femmes',
  'jeunes',
  'personnes-en-situation-de-handicap',
  'personnes-en-situation-durgence',
  'personnes-en-situation-juridique-specifique',
  'personnes-exilees',
  'residents-qpv-frr',
  'seniors',
] as const;
export type ServicePublic = (typeof SERVICE_PUBLICS)[number];
export const SERVICE_PUBLIC_LABELS: Record<ServicePublic, string> = {
  actifs: 'Actifs',
  'beneficiaires-des-minimas-sociaux': 'Bénéficiaires des minima sociaux',
  'demandeurs-emploi': 'Demandeurs d’emploi',
  etudiants: 'Étudiants',
  familles: 'Familles',
  femmes: 'Femmes',
  jeunes: 'Jeunes',
  'personnes-en-situation-de-handicap': 'Personnes en situation de handicap',
  'personnes-en-situation-durgence': 'Personnes en situation d’urgence',
  'personnes-en-situation-juridique-specifique': 'Personnes en situation juridique spécifique',
  'personnes-exilees': 'Personnes exilées',
  'residents-qpv-frr': 'Résidents en QPV ou FRR',
  seniors: 'Seniors',
};

/**
 * The data·inclusion thématiques of the first level (referentiel "thematiques"), with the bouquet each
 * one maps to. A thématique of the second level ("logement-hebergement--mal-loges-sans-logis") maps like
 * its parent unless THEMATIQUE_BOUQUET_OVERRIDES says otherwise. See docs/decisions/0010.
 */
export const DATA_INCLUSION_THEMATIQUES = [
  { code: 'acces-aux-droits-et-citoyennete', label: 'Accès aux droits et citoyenneté', bouquet: 4 },
  { code: 'accompagnement-social-et-professionnel-personnalise', label: 'Accompagnement social et professionnel personnalisé', bouquet: 10 },
  { code: 'apprendre-francais', label: 'Apprendre le français', bouquet: 13 },
  { code: 'choisir-un-metier', label: 'Choisir un métier', bouquet: 11 },
  { code: 'creation-activite', label: 'Création d’activité', bouquet: 12 },
  { code: 'equipement-et-alimentation', label: 'Équipement et alimentation', bouquet: 10 },
  { code: 'famille', label: 'Famille', bouquet: 10 },
  { code: 'gestion-financiere', label: 'Gestion financière', bouquet: 10 },
  { code: 'handicap', label: 'Handicap', bouquet: 8 },
  { code: 'illettrisme', label: 'Illettrisme', bouquet: 13 },
  { code: 'logement-hebergement', label: 'Logement et hébergement', bouquet: 14 },
  { code: 'mobilite', label: 'Mobilité', bouquet: 15 },
  { code: 'numerique', label: 'Numérique', bouquet: 18 },
  { code: 'preparer-sa-candidature', label: 'Préparer sa candidature', bouquet: 11 },
  { code: 'remobilisation', label: 'Remobilisation', bouquet: 10 },
  { code: 'sante', label: 'Santé', bouquet: 8 },
  { code: 'se-former', label: 'Se former', bouquet: 13 },
  { code: 'souvrir-a-linternational', label: 'S’ouvrir à l’international', bouquet: 11 },
  { code: 'trouver-un-emploi', label: 'Trouver un emploi', bouquet: 11 },
] as const satisfies readonly { code: string; label: string; bouquet: NeedBouquetCode }[];

/** Second-level thématiques whose bouquet differs from their parent's. */
export const THEMATIQUE_BOUQUET_OVERRIDES: Readonly<Record<string, NeedBouquetCode>> = {
  'acces-aux-droits-et-citoyennete--accompagnement-juridique': 3,
  'acces-aux-droits-et-citoyennete--aide-aux-victimes': 3,
  'acces-aux-droits-et-citoyennete--connaitre-ses-droits': 1,
  'famille--garde-denfants': 6,
  'famille--accompagnement-femme-enceinte-bebe-jeune-enfant': 6,
  'famille--violences-intrafamiliales': 2,
  'gestion-financiere--beneficier-daides-financieres': 5,
  'handicap--aide-a-la-personne': 9,
  'numerique--devenir-autonome-dans-les-demarches-administratives': 4,
  'numerique--realiser-des-demarches-administratives-avec-un-accompagnement': 4,
  'remobilisation--decouvrir-son-potentiel-via-le-sport-et-la-culture': 16,
  'sante--obtenir-la-prise-en-charge-de-frais-medicaux': 5,
};

/** The bouquet of a data·inclusion thématique, or null when its first level is unknown. */
export function bouquetOfThematique(code: string): NeedBouquetCode | null {
  const override = THEMATIQUE_BOUQUET_OVERRIDES[code];
  if (override) return override;
  const parent = code.split('--')[0];
  return DATA_INCLUSION_THEMATIQUES.find((t) => t.code === parent)?.bouquet ?? null;
}

export interface ServiceSiteRef {
  id: string;
  name: string;
  kind: 'fixed' | 'itinerant';
  communeInsee: string;
  communeName: string;
}

export interface DirectoryService {
  id: string;
  structure: { id: string; name: string; type: StructureType; phone: string | null; email: string | null };
  name: string;
  description: string | null;
  bouquets: NeedBouquetCode[];
  /** data·inclusion thématiques, e.g. "logement-hebergement--connaissance-de-ses-droits". */
  thematiques: string[];
  /** data·inclusion publics, e.g. "familles" (SERVICE_PUBLICS; other slugs kept as imported). */
  publics: string[];
  accessConditions: string | null;
  cost: ServiceCost | null;
  costDetails: string | null;
  receptionModes: ReceptionMode[];
  mobilizationModes: MobilizationMode[];
  mobilizationUrl: string | null;
  documentsToBring: string[];
  /** OpenStreetMap opening_hours syntax (canonical form). */
  openingHours: string | null;
  zone: { kind: ServiceZoneKind; communes: { insee: string; name: string }[] };
  sites: ServiceSiteRef[];
  contactPhone: string | null;
  contactEmail: string | null;
  website: string | null;
  active: boolean;
  lastVerifiedAt: string;
  lastVerifiedBy: string | null;
  /** Not verified for SERVICE_FRESHNESS_MONTHS: to check again. */
  stale: boolean;
  source: 'passerelle' | 'data_inclusion';
}

export interface ServiceInput {
  name: string;
  description?: string | null;
  bouquets: NeedBouquetCode[];
  thematiques?: string[];
  publics?: string[];
  accessConditions?: string | null;
  cost?: ServiceCost | null;
  costDetails?: string | null;
  receptionModes?: ReceptionMode[];
  mobilizationModes?: MobilizationMode[];
  mobilizationUrl?: string | null;
  documentsToBring?: string[];
  openingHours?: string | null;
  zoneKind?: ServiceZoneKind;
  /** INSEE codes, required when zoneKind = 'communes'. */
  zoneCommunes?: string[];
  siteIds?: string[];
  contactPhone?: string | null;
  contactEmail?: string | null;
  website?: string | null;
}
export type CreateServiceRequest = ServiceInput;
export type UpdateServiceRequest = Partial<ServiceInput> & { active?: boolean };

/** "Who can help with housing near Embrun?" */
export interface DirectorySearchQuery {
  bouquet?: NeedBouquetCode;
  /** INSEE code of the person's commune: services open to it, those delivered in it first. */
  commune?: string;
  /** Words of the service's name or description. */
  q?: string;
  /** Exclude the caller's own structure (orientation targets). */
  excludeOwn?: boolean;
  limit?: number;
}

export const DIRECTORY_SEARCH_MAX_LIMIT = 50;
export const DIRECTORY_SEARCH_DEFAULT_LIMIT = 20;

export type DirectoryProximity = 'commune' | 'epci' | 'departement' | 'elsewhere';
export const DIRECTORY_PROXIMITY_LABELS: Record<DirectoryProximity, string> = {
  commune: 'Dans la commune',
  epci: 'Dans l’intercommunalité',
  departement: 'Ouvert à la commune, délivré plus loin',
  elsewhere: 'Sans commune de référence',
};

export interface DirectorySearchHit extends DirectoryService {
  /**
   * Why it ranks where it does, when a commune is searched: a site of the service is in the commune
   * ('commune'), in another commune of its EPCI ('epci'), or the service is open to the commune but
   * delivered further away ('departement'). Without a commune every hit is 'elsewhere' (not computed).
   */
  proximity: DirectoryProximity;
}

/** One row of a data·inclusion import that was not taken, and why (French). */
export interface DirectoryImportIssue {
  file: 'structures' | 'services';
  /** CSV: the line of the record in the file (the header is line 1); JSON: its position in the array (from 1). */
  row: number;
  /** The row's data·inclusion `id`, when it has one. */
  id: string | null;
  message: string;
}

/** What `POST /api/directory/import` did. Importing the same file again updates, never duplicates. */
export interface DirectoryImportReport {
  structures: { created: number; updated: number; /** Matched to a structure managed in Passerelle (SIRET or name): linked, not overwritten. */ linked: number };
  services: { created: number; updated: number };
  /** Rows outside the tenant's département (a national file): ignored without a report line. */
  outsideTerritory: { structures: number; services: number };
  rejected: DirectoryImportIssue[];
  /** Rows taken without one of their values (e.g. an invalid phone number dropped). */
  warnings: DirectoryImportIssue[];
}
