import type { DataCategory } from './consents';
import type { NeedBouquetCode } from './needs';
import type { StructureType } from './structures';

/**
 * Orientations (referrals) followed until they close: envoyée → reçue → acceptée | refusée(motif) |
 * réorientée(vers) → prise en charge (rendez-vous ou premier contact, date) → clôturée(résultat);
 * annulée by the sender while not taken in charge.
 */
export const REFERRAL_STATUSES = ['sent', 'received', 'accepted', 'refused', 'redirected', 'in_charge', 'closed', 'cancelled'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  sent: 'Envoyée',
  received: 'Reçue',
  accepted: 'Acceptée',
  refused: 'Refusée',
  redirected: 'Réorientée',
  in_charge: 'Prise en charge',
  closed: 'Clôturée',
  cancelled: 'Annulée',
};

/** The state machine, the same table as the database trigger `referral_status_transition`. */
export const REFERRAL_TRANSITIONS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  sent: ['received', 'accepted', 'refused', 'redirected', 'cancelled'],
  received: ['accepted', 'refused', 'redirected', 'cancelled'],
  accepted: ['in_charge', 'closed', 'cancelled'],
  in_charge: ['closed'],
  refused: [],
  redirected: [],
  closed: [],
  cancelled: [],
};
/** Transitions made by the receiving structure; 'cancelled' is the sender's. */
export const RECEIVER_STATUSES: readonly ReferralStatus[] = ['received', 'accepted', 'refused', 'redirected', 'in_charge', 'closed'];
/** Still waiting for an answer from the receiver. */
export const UNANSWERED_REFERRAL_STATUSES: readonly ReferralStatus[] = ['sent', 'received'];
/** The loop is closed: nothing more will happen to the orientation. */
export const FINAL_REFERRAL_STATUSES: readonly ReferralStatus[] = ['refused', 'redirected', 'closed', 'cancelled'];

export const REFUSAL_REASONS = [
  'not_eligible',
  'out_of_zone',
  'no_capacity',
  'not_our_service',
  'already_supported',
  'person_declined',
  'insufficient_information',
  'other',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
export const REFUSAL_REASON_LABELS: Record<RefusalReason, string> = {
  not_eligible: 'La personne ne remplit pas les conditions',
  out_of_zone: 'Hors de notre zone d’intervention',
  no_capacity: 'Plus de place ou délai trop long',
  not_our_service: 'Ne relève pas de notre service',
  already_supported: 'Déjà accompagnée par ailleurs',
  person_declined: 'La personne ne souhaite pas',
  insufficient_information: 'Informations insuffisantes',
  other: 'Autre motif',
};

export const IN_CHARGE_KINDS = ['appointment', 'first_contact'] as const;
export type InChargeKind = (typeof IN_CHARGE_KINDS)[number];
export const IN_CHARGE_KIND_LABELS: Record<InChargeKind, string> = {
  appointment: 'Rendez-vous fixé',
  first_contact: 'Premier contact établi',
};

export const REFERRAL_OUTCOMES = ['done', 'not_done', 'unreachable', 'abandoned', 'other'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];
export const REFERRAL_OUTCOME_LABELS: Record<ReferralOutcome, string> = {
  done: 'Réalisée',
  not_done: 'Non réalisée',
  unreachable: 'Personne injoignable',
  abandoned: 'Abandon',
  other: 'Autre',
};
/** Outcomes (with 'refused') that are failures: the broken link of the accessibility chain is asked for. */
export const FAILED_REFERRAL_OUTCOMES: readonly ReferralOutcome[] = ['not_done', 'abandoned'];

/** The 11 links of the accessibility chain (DOMAIN.md): where access broke when an orientation failed. */
export const ACCESSIBILITY_LINKS = [
  { code: 1, label: 'Information' },
  { code: 2, label: 'Prise de contact' },
  { code: 3, label: 'Délais d’attente' },
  { code: 4, label: 'Horaires' },
  { code: 5, label: 'Temps de déplacement' },
  { code: 6, label: 'Transports' },
  { code: 7, label: 'Accessibilité pratique (lieu, handicap)' },
  { code: 8, label: 'Droits (conditions d’accès)' },
  { code: 9, label: 'Coût' },
  { code: 10, label: 'Simplicité, langue, démarches' },
  { code: 11, label: 'Globalité du service (coordination)' },
] as const;
export type AccessibilityLinkCode = (typeof ACCESSIBILITY_LINKS)[number]['code'];

export interface ReferralStructureRef {
  id: string;
  name: string;
  type: StructureType;
}

export interface ReferralEvent {
  status: ReferralStatus | 'reminded' | 'expired';
  at: string;
  userName: string | null;
  structureName: string | null;
}

export interface Referral {
  id: string;
  personId: string;
  /**
   * The person as the caller may see them: the sender (who follows the person) sees the name; the
   * receiver only when identity is shared with it by consent — otherwise null.
   */
  personName: string | null;
  from: ReferralStructureRef & { userName: string | null };
  to: ReferralStructureRef;
  service: { id: string; name: string } | null;
  fromContactId: string | null;
  requestId: string | null;
  /** The orientation this one continues (réorientation). */
  parentReferralId: string | null;
  bouquet: NeedBouquetCode;
  message: string | null;
  /** The data categories the sender shared for this orientation (each covered by the person's consent). */
  categories: DataCategory[];
  status: ReferralStatus;
  sentAt: string;
  receivedAt: string | null;
  answeredAt: string | null;
  refusalReason: RefusalReason | null;
  redirectedTo: ReferralStructureRef | null;
  /** The new orientation created by a réorientation. */
  redirectReferralId: string | null;
  inChargeKind: InChargeKind | null;
  inChargeAt: string | null;
  closedAt: string | null;
  outcome: ReferralOutcome | null;
  brokenLink: AccessibilityLinkCode | null;
  statusComment: string | null;
  cancelledAt: string | null;
  remindedAt: string | null;
  expiredAt: string | null;
  events: ReferralEvent[];
  /** What the caller may do next: the transitions allowed to their structure. */
  allowedTransitions: ReferralStatus[];
}

export interface CreateReferralRequest {
  /** Client-generated id: retrying the same create returns the same orientation (idempotent). */
  clientRequestId: string;
  personId: string;
  toStructureId: string;
  toServiceId?: string | null;
  bouquet: NeedBouquetCode;
  message?: string | null;
  /** Must be covered by an active consent naming the receiving structure (409 CONSENT_REQUIRED otherwise). */
  categories: DataCategory[];
  fromContactId?: string | null;
  requestId?: string | null;
}

export interface ChangeReferralStatusRequest {
  status: ReferralStatus;
  /** Required for 'refused'. */
  refusalReason?: RefusalReason;
  /** Required for 'redirected': the new target (a new orientation is sent to it). */
  redirectToStructureId?: string;
  redirectToServiceId?: string | null;
  /** Required for 'in_charge'. */
  inChargeKind?: InChargeKind;
  /** Date of the appointment or first contact (defaults to now). */
  inChargeAt?: string;
  /** Required for 'closed'. */
  outcome?: ReferralOutcome;
  /** Required when refused or closed as not done / abandoned; allowed for unreachable / other. */
  brokenLink?: AccessibilityLinkCode | null;
  /** Free comment (required for refusal reason 'other' and outcome 'other'). */
  comment?: string | null;
}

export interface ReferralListQuery {
  status?: ReferralStatus;
  bouquet?: NeedBouquetCode;
  /** Only orientations sent more than this many days ago. */
  olderThanDays?: number;
  /** Page size, 1–200 (default REFERRAL_PAGE_SIZE); newest first. */
  limit?: number;
  /** Orientations to skip (the next page: offset + limit). */
  offset?: number;
}
export const REFERRAL_PAGE_SIZE = 50;
export const REFERRAL_PAGE_MAX = 200;

/** 409 CONSENT_REQUIRED body detail: the categories not covered by the person's consent for that structure. */
export interface ConsentRequiredDetail {
  structureId: string;
  missingCategories: DataCategory[];
}
