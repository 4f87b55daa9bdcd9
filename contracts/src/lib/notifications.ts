import type { Role } from './roles';

/**
 * In-app notifications (and their e-mail): they name no person — a kind, the thing to open, the
 * structure it comes from. The e-mail says only that something is waiting, with a link to log in.
 */
export const NOTIFICATION_KINDS = [
  'referral_received',
  'referral_status',
  'referral_reminder',
  'referral_expired',
  'handoff_proposed',
  'handoff_answered',
  'services_stale',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  referral_received: 'Nouvelle orientation reçue',
  referral_status: 'Une orientation que vous avez envoyée a changé de statut',
  referral_reminder: 'Orientation en attente de réponse',
  referral_expired: 'Orientation expirée sans réponse',
  handoff_proposed: 'Passage de relais proposé',
  handoff_answered: 'Réponse à votre passage de relais',
  services_stale: 'Des offres de service sont à vérifier',
};

export const NOTIFICATION_ENTITY_TYPES = ['referral', 'handoff', 'structure'] as const;
export type NotificationEntityType = (typeof NOTIFICATION_ENTITY_TYPES)[number];

/** Who has notifications: every role that acts for a structure. */
export const NOTIFICATION_ROLES: readonly Role[] = ['reception_agent', 'social_worker', 'coordinator', 'structure_admin'];
/** The most notifications one list returns (newest first). */
export const NOTIFICATION_LIST_LIMIT = 100;

export interface AppNotification {
  id: string;
  kind: NotificationKind;
  entityType: NotificationEntityType;
  entityId: string;
  /** The other structure concerned: the sender of an orientation, the one that answered it, the one that proposed a handoff… */
  fromStructureName: string | null;
  /**
   * The recipient's structure it is addressed to — a professional may work for several, and opens the
   * entity with their membership in that one. Null when it is tied to none.
   */
  toStructureId: string | null;
  toStructureName: string | null;
  /** A code completing the kind, e.g. the new status of a referral. */
  detail: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationSummary {
  unread: number;
}

/** `GET /api/notifications?unreadOnly=true`: only the unread ones. */
export interface NotificationListQuery {
  unreadOnly?: boolean;
}
