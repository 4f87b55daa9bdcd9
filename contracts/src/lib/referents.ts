import type { ReferralStatus } from './referrals';
import type { RequestStatus } from './contacts';

/**
 * The référent de parcours: the one professional who follows the person throughout, designated with
 * the person (their preference), for relevance and feasibility; history kept. Handoffs (passages de
 * relais): a case handed from the reception to a social worker, or between workers.
 */
export const REFERENT_CRITERIA = ['person_preference', 'relevance', 'feasibility'] as const;
export type ReferentCriterion = (typeof REFERENT_CRITERIA)[number];
export const REFERENT_CRITERION_LABELS: Record<ReferentCriterion, string> = {
  person_preference: 'Choix ou préférence de la personne',
  relevance: 'Pertinence au regard de la situation',
  feasibility: 'Faisabilité (disponibilité, proximité)',
};

export const REFERENT_END_REASONS = ['replaced', 'ended', 'handoff', 'person_request', 'retention'] as const;
export type ReferentEndReason = (typeof REFERENT_END_REASONS)[number];
export const REFERENT_END_REASON_LABELS: Record<ReferentEndReason, string> = {
  replaced: 'Remplacé par un autre référent',
  ended: 'Fin de l’accompagnement',
  handoff: 'Passage de relais',
  person_request: 'À la demande de la personne',
  retention: 'Dossier anonymisé',
};

export interface Referent {
  id: string;
  personId: string;
  user: { id: string; name: string };
  /** The référent's structure and its public contact details (shown to partners under consent). */
  structure: { id: string; name: string; phone: string | null; email: string | null };
  criteria: ReferentCriterion[];
  chosenWithPerson: boolean;
  /** Only for the référent's structure. */
  criteriaNote?: string | null;
  designatedBy: string | null;
  startedAt: string;
  endedAt: string | null;
  endedReason: ReferentEndReason | null;
}

/**
 * `GET /api/persons/:id/referents`: the current référent and the past ones, newest first. A structure
 * that sees the file only by consent sees them only when "Identité et coordonnées" is shared with it
 * (`shared` false: `current` null and `history` empty, whatever the file holds).
 */
export interface PersonReferents {
  shared: boolean;
  current: Referent | null;
  history: Referent[];
}

export interface DesignateReferentRequest {
  /** An active professional (social_worker, reception_agent or structure_admin) of a structure that follows the person. */
  userId: string;
  /**
   * The structure they act for (a professional may belong to several): required only when the user has
   * several eligible memberships; otherwise the caller's structure, or their one structure that follows the person.
   */
  structureId?: string | null;
  criteria: ReferentCriterion[];
  chosenWithPerson: boolean;
  criteriaNote?: string | null;
}

export interface EndReferentRequest {
  reason: Exclude<ReferentEndReason, 'replaced' | 'handoff' | 'retention'>;
}

export const HANDOFF_STATUSES = ['proposed', 'accepted', 'declined', 'cancelled'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];
export const HANDOFF_STATUS_LABELS: Record<HandoffStatus, string> = {
  proposed: 'Proposé',
  accepted: 'Accepté',
  declined: 'Décliné',
  cancelled: 'Annulé',
};

export interface Handoff {
  id: string;
  personId: string;
  /** Null when the receiver may not see the identity (consent). */
  personName: string | null;
  from: { structureId: string; structureName: string; userName: string | null };
  to: { structureId: string; structureName: string; userId: string; userName: string };
  /**
   * The transmission note: only for the sender's structure and the receiver (and no one reads it on the
   * timeline). Absent for the receiver when their structure may no longer see the person's file (the
   * consent naming it was withdrawn since): the withdrawal takes effect at once.
   */
  note?: string;
  proposeReferent: boolean;
  status: HandoffStatus;
  /** Why the receiver declined: for the sender's structure and the receiver, like the note. */
  declineReason: string | null;
  proposedAt: string;
  answeredAt: string | null;
}

export interface ProposeHandoffRequest {
  clientRequestId: string;
  personId: string;
  toUserId: string;
  /** The receiver's structure: required only when the receiver belongs to several structures (see Professional). */
  toStructureId?: string | null;
  note: string;
  /** The receiver is asked to become the person's référent. */
  proposeReferent?: boolean;
}

export interface AnswerHandoffRequest {
  decision: 'accept' | 'decline';
  /** On accept, when proposed: become the référent (criteria required then). */
  becomeReferent?: boolean;
  criteria?: ReferentCriterion[];
  chosenWithPerson?: boolean;
  /** Required on decline. */
  declineReason?: string;
}

/** A handoff as the person's timeline shows it: who handed the case to whom and the answer, never the note nor the decline reason. */
export type HandoffSummary = Omit<Handoff, 'note' | 'declineReason' | 'personName'>;

/** The timeline's référent and handoff events (see TimelineEntry). */
export type ReferentTimelineEntry =
  | { kind: 'referent_designated'; at: string; referent: Referent }
  | { kind: 'referent_ended'; at: string; referent: Referent }
  | { kind: 'handoff_proposed'; at: string; handoff: HandoffSummary }
  /** Accepted, declined, or cancelled by the sender (`handoff.status`). */
  | { kind: 'handoff_answered'; at: string; handoff: HandoffSummary };

/** A professional a case may be handed to or who may become référent: one entry per membership. */
export interface Professional {
  userId: string;
  name: string;
  role: 'reception_agent' | 'social_worker' | 'structure_admin';
  structureId: string;
  structureName: string;
}

/** A social worker's caseload: the persons they are référent for. */
export interface CaseloadEntry {
  personId: string;
  personName: string;
  referentSince: string;
  lastContactAt: string | null;
  openRequests: { id: string; bouquet: number; status: RequestStatus }[];
  openReferrals: { id: string; bouquet: number; status: ReferralStatus; toStructureName: string; direction: 'sent' | 'received' }[];
}
