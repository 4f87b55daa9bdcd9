import type { NeedBouquetCode } from './needs';
import type { Referral, ReferralEvent } from './referrals';
import type { ReferentTimelineEntry } from './referents';

export const CONTACT_CHANNELS = ['in_person', 'phone', 'email', 'video', 'itinerant', 'home_visit', 'mail'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = {
  in_person: 'Accueil physique',
  phone: 'Téléphone',
  email: 'Courriel',
  video: 'Visio',
  itinerant: 'Permanence itinérante',
  home_visit: 'Visite à domicile',
  mail: 'Courrier',
};

export const CONTACT_ANSWERS = ['information', 'procedure_done', 'appointment', 'referral_needed', 'support_started', 'other'] as const;
export type ContactAnswer = (typeof CONTACT_ANSWERS)[number];
export const CONTACT_ANSWER_LABELS: Record<ContactAnswer, string> = {
  information: 'Information donnée',
  procedure_done: 'Démarche faite / droit ouvert sur place',
  appointment: 'Rendez-vous pris',
  referral_needed: 'Orientation à faire',
  support_started: 'Accompagnement engagé',
  other: 'Autre',
};

export interface ContactNeed {
  bouquet: NeedBouquetCode;
  subNeed: string | null;
  detail: string | null;
}

export interface Contact {
  id: string;
  /** null: anonymous, information-only contact (counts in statistics). */
  personId: string | null;
  structureId: string;
  structureName: string;
  siteId: string | null;
  agent: { id: string; name: string };
  channel: ContactChannel;
  occurredAt: string;
  durationMinutes: number | null;
  needs: ContactNeed[];
  answer: ContactAnswer;
  /** Absent for another structure's contact when its summaries are not shared with you (consent). */
  summary?: string | null;
  /** Present only for agents of the author's structure. */
  privateNote?: string | null;
  requestIds: string[];
}

export interface CreateContactRequest {
  /** Client-generated id: retrying the same create returns the same contact (idempotent). */
  clientRequestId: string;
  personId?: string | null;
  siteId?: string | null;
  channel: ContactChannel;
  /** Defaults to now. */
  occurredAt?: string;
  durationMinutes?: number | null;
  needs: ContactNeed[];
  answer: ContactAnswer;
  summary?: string | null;
  privateNote?: string | null;
  /** Open a request (demande) for these need indexes (positions in `needs`). */
  openRequestsForNeeds?: number[];
  /** Existing requests of the person this contact touched. */
  requestIds?: string[];
}

export interface AttachContactRequest {
  personId: string;
}

export const REQUEST_STATUSES = ['open', 'in_progress', 'resolved', 'no_follow_up'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  open: 'Ouverte',
  in_progress: 'En cours',
  resolved: 'Résolue',
  no_follow_up: 'Sans suite',
};
/** Allowed transitions (also enforced by a database trigger). */
export const REQUEST_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  open: ['in_progress', 'resolved', 'no_follow_up'],
  in_progress: ['resolved', 'no_follow_up'],
  resolved: [],
  no_follow_up: [],
};

/** A request (demande): a need followed over time. */
export interface PersonRequest {
  id: string;
  personId: string;
  structureId: string;
  structureName: string;
  bouquet: NeedBouquetCode;
  subNeed: string | null;
  description: string | null;
  status: RequestStatus;
  closedReason: string | null;
  openedAt: string;
  closedAt: string | null;
  contactIds: string[];
}

export interface ChangeRequestStatusRequest {
  status: RequestStatus;
  /** Required for no_follow_up. */
  reason?: string | null;
}

export type TimelineEntry =
  | { kind: 'contact'; at: string; contact: Contact }
  | { kind: 'request_opened'; at: string; request: PersonRequest }
  | { kind: 'request_closed'; at: string; request: PersonRequest }
  /** "Orientation envoyée vers X": `at` is its sentAt (a réorientation is sent too, with parentReferralId). */
  | { kind: 'referral_sent'; at: string; referral: Referral }
  /** A later step of the orientation (reçue, acceptée, refusée…): the event, and the orientation as it is now. */
  | { kind: 'referral_status'; at: string; event: ReferralEvent; referral: Referral }
  /** Référent designated or ended, handoff proposed or answered (never its note). */
  | ReferentTimelineEntry;

/** "Aujourd'hui": the contacts of my structure today, by channel and need. */
export interface TodaySummary {
  date: string;
  total: number;
  anonymous: number;
  byChannel: { channel: ContactChannel; count: number }[];
  byNeed: { bouquet: NeedBouquetCode; count: number }[];
  contacts: (Contact & { personName: string | null })[];
}
