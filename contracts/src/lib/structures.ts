export const STRUCTURE_TYPES = [
  'ccas',
  'mairie',
  'france_services',
  'departmental_social_service',
  'caf',
  'cpam',
  'france_travail',
  'mission_locale',
  'association',
  'other',
] as const;
export type StructureType = (typeof STRUCTURE_TYPES)[number];

export const STRUCTURE_TYPE_LABELS: Record<StructureType, string> = {
  ccas: 'CCAS / CIAS',
  mairie: 'Mairie',
  france_services: 'France Services',
  departmental_social_service: "Service départemental d'action sociale",
  caf: 'CAF',
  cpam: 'CPAM',
  france_travail: 'France Travail',
  mission_locale: 'Mission locale',
  association: 'Association',
  other: 'Autre',
};

export interface Structure {
  id: string;
  name: string;
  type: StructureType;
  siret: string | null;
  email: string | null;
  phone: string | null;
  communeInsee: string | null;
  communeName: string | null;
  active: boolean;
  siteCount: number;
}

export interface CreateStructureRequest {
  name: string;
  type: StructureType;
  siret?: string | null;
  email?: string | null;
  phone?: string | null;
  communeInsee?: string | null;
}
export type UpdateStructureRequest = Partial<CreateStructureRequest> & { active?: boolean };

export const SITE_KINDS = ['fixed', 'itinerant'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const SITE_KIND_LABELS: Record<SiteKind, string> = {
  fixed: "Lieu d'accueil fixe",
  itinerant: 'Permanence itinérante',
};

export interface Site {
  id: string;
  structureId: string;
  name: string;
  kind: SiteKind;
  address: string | null;
  communeInsee: string;
  communeName: string;
  /** OpenStreetMap opening_hours syntax, e.g. "Mo-Fr 08:30-12:00,13:30-17:00". */
  openingHours: string | null;
  /** iCalendar RRULE for itinerant permanences, e.g. "FREQ=WEEKLY;BYDAY=TU". */
  recurrence: string | null;
  /** Human description of the recurrence, e.g. "Le mardi matin, place de l'église". */
  recurrenceLabel: string | null;
  active: boolean;
}

export interface CreateSiteRequest {
  name: string;
  kind: SiteKind;
  address?: string | null;
  communeInsee: string;
  openingHours?: string | null;
  recurrence?: string | null;
  recurrenceLabel?: string | null;
}
export type UpdateSiteRequest = Partial<CreateSiteRequest> & { active?: boolean };
