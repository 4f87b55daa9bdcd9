import type { Contact, PersonRequest } from './contacts';
import type { PersonDocument } from './documents';
import type { Person } from './persons';
import type { Referral } from './referrals';
import type { HandoffStatus, Referent } from './referents';

/**
 * Consent to share a person's information between partner structures (CASF L.121-6-2, CSP L.1110-4,
 * CNIL référentiel « action sociale »): which recipients, which data categories, for what purpose,
 * how it was collected. Withdrawal takes effect on the very next request; history is never rewritten.
 */

/** The categories of data a consent covers; every field the API returns about a person belongs to one. */
export const DATA_CATEGORIES = [
  'identity_contact',
  'family_housing',
  'resources_rights',
  'needs_requests',
  'interview_summaries',
  'documents',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];
export const DATA_CATEGORY_LABELS: Record<DataCategory, string> = {
  identity_contact: 'Identité et coordonnées',
  family_housing: 'Situation familiale et logement',
  resources_rights: 'Ressources et droits',
  needs_requests: 'Besoins et demandes',
  interview_summaries: 'Synthèses d’entretien',
  documents: 'Documents',
};
/** In plain words, for the notice handed to the person. */
export const DATA_CATEGORY_DESCRIPTIONS: Record<DataCategory, string> = {
  identity_contact: 'vos nom, prénoms, date de naissance, commune, téléphone, adresse électronique, langues parlées',
  family_housing: 'votre situation familiale, vos enfants à charge, votre logement ou votre domiciliation',
  resources_rights: 'vos ressources et les droits ouverts ou demandés',
  needs_requests: 'vos passages, les besoins exprimés, vos demandes et leur suivi',
  interview_summaries: 'les synthèses écrites après vos entretiens (jamais les notes personnelles des professionnels)',
  documents: 'les documents déposés dans votre dossier',
};

export const CONSENT_PURPOSES = ['orientation', 'coordinated_follow_up', 'network_visibility'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const CONSENT_PURPOSE_LABELS: Record<ConsentPurpose, string> = {
  orientation: 'Orientation vers un partenaire',
  coordinated_follow_up: 'Suivi coordonné',
  network_visibility: 'Visibilité dans le réseau',
};

/**
 * Who receives: one named structure; the structures that take part in the person's parcours (those
 * that follow the person, at the time of each request); or, for network visibility only, every
 * structure of the territory (which then only learns that the person is known, and by whom).
 */
export const CONSENT_RECIPIENT_KINDS = ['structure', 'parcours', 'network'] as const;
export type ConsentRecipientKind = (typeof CONSENT_RECIPIENT_KINDS)[number];

export const CONSENT_COLLECTION_METHODS = ['oral', 'signed_paper', 'digital'] as const;
export type ConsentCollectionMethod = (typeof CONSENT_COLLECTION_METHODS)[number];
export const CONSENT_COLLECTION_METHOD_LABELS: Record<ConsentCollectionMethod, string> = {
  oral: 'Oral, après lecture de la notice',
  signed_paper: 'Formulaire papier signé',
  digital: 'Accord numérique',
};

/** The version of the information notice the consent is collected with; a consent records the one shown. */
export const CONSENT_NOTICE_VERSION = '2026-11';

export interface ConsentRecipient {
  kind: ConsentRecipientKind;
  /** Set when kind = 'structure'. */
  structureId: string | null;
  structureName: string | null;
}

export interface Consent {
  id: string;
  personId: string;
  purpose: ConsentPurpose;
  recipient: ConsentRecipient;
  /** For network visibility: none (only the minimal identity and who knows the person are shown). */
  categories: DataCategory[];
  collectionMethod: ConsentCollectionMethod;
  noticeVersion: string;
  collectedAt: string;
  collectedBy: { userName: string; structureId: string; structureName: string };
  /** Optional end date (ISO date-time); the consent lapses after it. */
  validUntil: string | null;
  withdrawnAt: string | null;
  withdrawnBy: { userName: string; structureName: string } | null;
  /** Active now: not withdrawn and not expired. */
  active: boolean;
}

export interface CreateConsentRequest {
  /** Idempotency key: the same key twice records one consent. */
  clientRequestId: string;
  purpose: ConsentPurpose;
  recipientKind: ConsentRecipientKind;
  /** Required when recipientKind = 'structure'. */
  recipientStructureId?: string | null;
  /** At least one, unless purpose = 'network_visibility' (then none). */
  categories: DataCategory[];
  collectionMethod: ConsentCollectionMethod;
  /** Must be CONSENT_NOTICE_VERSION: the notice the person was shown. */
  noticeVersion: string;
  validUntil?: string | null;
}

/** Exceptional access without consent, for a legal reason: needs the dedicated permission; reviewed by the admin. */
export const OVERRIDE_LEGAL_BASES = ['danger', 'legal_obligation'] as const;
export type OverrideLegalBasis = (typeof OVERRIDE_LEGAL_BASES)[number];
export const OVERRIDE_LEGAL_BASIS_LABELS: Record<OverrideLegalBasis, string> = {
  danger: 'Danger pour la personne ou pour autrui',
  legal_obligation: 'Obligation légale',
};

export interface CreateAccessOverrideRequest {
  legalBasis: OverrideLegalBasis;
  /** Why, in a few sentences (10 to 1,000 characters). Kept for the admin's review, never in logs. */
  justification: string;
}

export interface AccessOverride {
  id: string;
  personId: string;
  legalBasis: OverrideLegalBasis;
  justification: string;
  userName: string;
  createdAt: string;
  expiresAt: string;
  reviewedAt: string | null;
  reviewedBy: string | null;
}

/** One line of a person's access log: who opened the file, when, from which structure, why. */
export interface AccessLogEntry {
  at: string;
  action: string;
  /** French label of the action. */
  actionLabel: string;
  userName: string | null;
  structureName: string | null;
  /** Why: followed_by_my_structure, consent, override, or the action's own code. */
  reason: string | null;
  outcome: 'success' | 'failure' | 'denied';
  /** An exceptional access, to be reviewed by the structure's admin. */
  flagged: boolean;
}

/** A person found in the territory's network (visibility consent): minimal identity and who knows them. */
export interface NetworkSearchHit {
  id: string;
  usageLastName: string | null;
  birthLastName: string | null;
  firstNames: string | null;
  birthYear: number | null;
  knownBy: { structureId: string; structureName: string; phone: string | null; email: string | null }[];
  /** The person's current référent de parcours and their structure's public contact details, so the person need not tell their story again. */
  referent: { name: string; structureName: string; phone: string | null; email: string | null } | null;
}

/**
 * Subject-access export (GDPR art. 15): what the exporting structure holds on the person, what other
 * structures shared with it, the consents and who accessed the file. Other structures answer for their
 * own records: `followedBy` lists them.
 */
export interface SubjectAccessExport {
  format: 'passerelle.subject-access/1';
  generatedAt: string;
  generatedBy: { structureName: string; userName: string };
  person: Person;
  followedBy: { structureName: string; since: string }[];
  contacts: Contact[];
  requests: PersonRequest[];
  /** The documents' descriptions (each one's content is downloaded on its own). */
  documents: PersonDocument[];
  consents: Consent[];
  /** Without the agents' justifications; `reviewedAt`: when the structure's admin checked the access (null: not yet). */
  exceptionalAccesses: { legalBasis: OverrideLegalBasis; userName: string; structureName: string; at: string; until: string; reviewedAt: string | null }[];
  accessLog: AccessLogEntry[];
  /** The person's orientations sent or received by the exporting structure, and the others' when "besoins et demandes" is shared with it. */
  referrals: Referral[];
  /**
   * The person's référents de parcours, the current one first, then the past ones newest first (as
   * `GET /persons/:id/referents` gives them): the criteria note only for the référent's own structure.
   */
  referents: Referent[];
  /** The person's handoffs (passages de relais), newest first. */
  handoffs: SubjectAccessHandoff[];
}

/**
 * A handoff in the subject-access export. Those the exporting structure sent or received come with who
 * handed the case to whom, the transmission note and the decline reason; the other structures' only say
 * that they took place (which structures, status, dates): each structure answers for its own records.
 */
export interface SubjectAccessHandoff {
  id: string;
  /** `userName` null for another structure’s handoff (or a deleted sender). */
  from: { structureId: string; structureName: string; userName: string | null };
  /** `userName` null for another structure’s handoff. */
  to: { structureId: string; structureName: string; userName: string | null };
  status: HandoffStatus;
  proposedAt: string;
  answeredAt: string | null;
  /** The exporting structure sent or received it: `note` and `declineReason` are then present. */
  ownStructure: boolean;
  note?: string;
  declineReason?: string | null;
}
