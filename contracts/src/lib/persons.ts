import type { DataCategory } from './consents';

/** The person accueillie (usager). Identity kept lean (CNIL référentiel « action sociale »). */
export const BIRTH_DATE_PRECISIONS = ['day', 'month', 'year'] as const;
export type BirthDatePrecision = (typeof BIRTH_DATE_PRECISIONS)[number];

export const CONTACT_PREFERENCES = ['phone', 'sms', 'email', 'mail', 'in_person'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];
export const CONTACT_PREFERENCE_LABELS: Record<ContactPreference, string> = {
  phone: 'Téléphone',
  sms: 'SMS',
  email: 'Courriel',
  mail: 'Courrier',
  in_person: 'En personne',
};

export const HOUSEHOLD_SITUATIONS = ['alone', 'couple', 'alone_with_children', 'couple_with_children', 'other'] as const;
export type HouseholdSituation = (typeof HOUSEHOLD_SITUATIONS)[number];
export const HOUSEHOLD_SITUATION_LABELS: Record<HouseholdSituation, string> = {
  alone: 'Seul(e)',
  couple: 'En couple',
  alone_with_children: 'Seul(e) avec enfant(s)',
  couple_with_children: 'En couple avec enfant(s)',
  other: 'Autre',
};

export const NATIONALITY_GROUPS = ['france', 'eu', 'non_eu'] as const;
export type NationalityGroup = (typeof NATIONALITY_GROUPS)[number];
export const NATIONALITY_GROUP_LABELS: Record<NationalityGroup, string> = { france: 'France', eu: 'Union européenne', non_eu: 'Hors UE' };

export interface PersonIdentity {
  usageLastName: string | null;
  birthLastName: string | null;
  firstNames: string | null;
  /** ISO date (YYYY-MM-DD); with precision 'year', only the year is meaningful (stored as YYYY-01-01). */
  birthDate: string | null;
  birthDatePrecision: BirthDatePrecision | null;
  communeInsee: string | null;
  /** "Sans domicile stable": then `domiciliation` says where mail is received. */
  noStableHome: boolean;
  domiciliation: string | null;
  phone: string | null;
  email: string | null;
  languages: string[];
  needsInterpreter: boolean;
  contactPreference: ContactPreference | null;
  household: HouseholdSituation | null;
  dependentChildren: number | null;
  nationalityGroup: NationalityGroup | null;
}

/**
 * A person's file as the caller may see it. A structure that follows the person sees every field; a
 * partner sees only the fields of the categories the person consented to share with it: the others
 * are absent from the JSON (not blanked), and `categories` lists what is present.
 */
export interface Person extends Partial<PersonIdentity> {
  id: string;
  communeName?: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * Present only when the file is anonymised (retention, or erasure at the person's request): when. The
   * identity is then empty but for the placeholder name, and the file can no longer be changed.
   */
  anonymizedAt?: string;
  /** Why the caller may see this file (e.g. "followed"): agents must see why they see something. */
  access: PersonAccessReason;
  /** The data categories present in this answer. */
  categories: DataCategory[];
}

/**
 * Why the caller sees the file: their structure follows the person; a consent shares (part of) it
 * with their structure; or an exceptional access for a legal reason (override), reviewed by the admin.
 */
export type PersonAccessReason = 'followed_by_my_structure' | 'consent' | 'override';
export const PERSON_ACCESS_REASON_LABELS: Record<PersonAccessReason, string> = {
  followed_by_my_structure: 'Votre structure suit cette personne',
  consent: 'La personne a consenti au partage avec votre structure',
  override: 'Accès exceptionnel pour motif légal (tracé, vérifié par l’administrateur)',
};

export type CreatePersonRequest = Partial<PersonIdentity> & {
  /** Create even though similar persons exist (after the agent saw the warning). */
  confirmNotDuplicate?: boolean;
};
export type UpdatePersonRequest = Partial<PersonIdentity>;

/** One search hit: just enough to recognise the person at the desk. */
export interface PersonSearchHit {
  id: string;
  usageLastName: string | null;
  birthLastName: string | null;
  firstNames: string | null;
  birthDate: string | null;
  birthDatePrecision: BirthDatePrecision | null;
  communeName: string | null;
  /** Likeness 0–1, for ranking and display. */
  score: number;
  lastContactAt: string | null;
}

export interface PersonSearchQuery {
  /** Free text: name(s) in any order, phone or e-mail. */
  q: string;
  /** Birth date (YYYY-MM-DD) or year (YYYY), optional. */
  birth?: string;
  limit?: number;
}

export interface MergePersonsRequest {
  /** The file that disappears: everything is re-attached to the target (the path's id). */
  sourcePersonId: string;
  /** Must be true: merging is irreversible. */
  confirm: boolean;
}
