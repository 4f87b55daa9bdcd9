import type { NeedBouquetCode } from './needs';

/**
 * Continuity of parcours: the gaps ("ruptures de parcours") computed from the data, each past a delay
 * the tenant sets. An alert names the structure that must act; it disappears as soon as the gap closes.
 */
export const CONTINUITY_ALERT_KINDS = [
  'referral_unanswered',
  'referral_not_in_charge',
  'referral_failed_no_followup',
  'request_without_referent',
  'accompaniment_lost_contact',
  'request_without_contact',
] as const;
export type ContinuityAlertKind = (typeof CONTINUITY_ALERT_KINDS)[number];

export const CONTINUITY_ALERT_KIND_LABELS: Record<ContinuityAlertKind, string> = {
  referral_unanswered: 'Orientation sans réponse',
  referral_not_in_charge: 'Orientation acceptée, prise en charge non faite',
  referral_failed_no_followup: 'Orientation refusée ou échouée, sans suite',
  request_without_referent: 'Demande ouverte sans référent de parcours',
  accompaniment_lost_contact: 'Personne accompagnée perdue de vue',
  request_without_contact: 'Demande ouverte sans contact',
};

/** What each threshold means, for the settings form ("… depuis plus de N jours"). */
export const CONTINUITY_ALERT_KIND_HELP: Record<ContinuityAlertKind, string> = {
  referral_unanswered: 'Orientation envoyée, ni acceptée ni refusée par la structure qui la reçoit.',
  referral_not_in_charge: 'Orientation acceptée, sans rendez-vous ni premier contact enregistré.',
  referral_failed_no_followup:
    'Orientation refusée ou clôturée sans succès, sans nouvelle orientation ni nouveau contact avec la personne depuis.',
  request_without_referent: 'Personne ayant une demande ouverte, sans référent de parcours désigné.',
  accompaniment_lost_contact: 'Personne ayant un référent de parcours, sans aucun contact enregistré depuis.',
  request_without_contact: 'Demande ouverte ou en cours, sans contact avec la personne depuis.',
};

/** The delays (days) when the tenant has not set its own. */
export const CONTINUITY_DEFAULT_THRESHOLDS: Record<ContinuityAlertKind, number> = {
  referral_unanswered: 15,
  referral_not_in_charge: 15,
  referral_failed_no_followup: 15,
  request_without_referent: 30,
  accompaniment_lost_contact: 90,
  request_without_contact: 45,
};
export const CONTINUITY_THRESHOLD_MIN_DAYS = 1;
export const CONTINUITY_THRESHOLD_MAX_DAYS = 730;

export type ContinuityThresholds = Record<ContinuityAlertKind, number>;

/** PUT /api/continuity/thresholds (coordinator): every kind, in days. */
export interface UpdateContinuityThresholdsRequest {
  thresholds: ContinuityThresholds;
}

export interface ContinuityAcknowledgement {
  at: string;
  userName: string | null;
  structureName: string | null;
  comment: string | null;
}

/** One alert. The person is named only to the structure that must act, and only if it may see them. */
export interface ContinuityAlert {
  /** Stable while the gap lasts: `${kind}~${subjectId}~${gapSince}` (a new gap is a new alert). */
  key: string;
  kind: ContinuityAlertKind;
  /** The orientation (referral_*), the request (request_without_contact) or the person (the others). */
  subjectId: string;
  referralId: string | null;
  requestId: string | null;
  /** When the gap began: orientation sent/accepted/failed, request opened, last contact… */
  gapSince: string;
  /** Whole days since gapSince. */
  ageDays: number;
  thresholdDays: number;
  bouquet: NeedBouquetCode | null;
  /** The structure that must act. */
  structure: { id: string; name: string };
  /** The other structure concerned (the sender of an unanswered orientation…), if any. */
  counterpart: { id: string; name: string } | null;
  /**
   * Absent for coordinators (they see the gap, never who). For the structure that must act: the person
   * (name null when its identity is not shared with that structure).
   */
  person?: { id: string; name: string | null };
  acknowledgement: ContinuityAcknowledgement | null;
}

export interface ContinuityAlertPage {
  items: ContinuityAlert[];
  total: number;
  limit: number;
  offset: number;
}

/** GET /api/continuity/alerts query. */
export interface ContinuityAlertQuery {
  kind?: ContinuityAlertKind;
  /** Coordinators: one structure that must act. */
  structureId?: string;
  /** `epci:<SIREN>` or `commune:<INSEE>`: structures located there. */
  territory?: string;
  /** 'open' (default): not acknowledged; 'acknowledged'; 'all'. */
  state?: 'open' | 'acknowledged' | 'all';
  limit?: number;
  offset?: number;
}

/** POST /api/continuity/alerts/acknowledgements: "vu, on s'en occupe", with an optional comment. */
export interface AcknowledgeContinuityAlertRequest {
  key: string;
  comment?: string | null;
}
export const CONTINUITY_ACK_COMMENT_MAX = 1000;

/** Counts of the alerts now open: by structure (that must act) and in all. */
export interface ContinuitySummary {
  generatedAt: string;
  thresholds: ContinuityThresholds;
  totals: Record<ContinuityAlertKind, number>;
  acknowledged: number;
  byStructure: {
    structure: { id: string; name: string; communeInsee: string | null; epciCode: string | null };
    counts: Record<ContinuityAlertKind, number>;
    total: number;
  }[];
}
