import {
  AppNotification,
  HANDOFF_STATUS_LABELS,
  HandoffStatus,
  NOTIFICATION_KIND_LABELS,
  REFERRAL_STATUS_LABELS,
  ReferralStatus,
} from '@passerelle/contracts';

/** What happened, in a sentence: the kind's label, completed by its detail (the new status, the answer). */
export function notificationText(notification: AppNotification): string {
  const label = NOTIFICATION_KIND_LABELS[notification.kind];
  const detail = notification.detail;
  switch (notification.kind) {
    case 'referral_status':
      return detail && detail in REFERRAL_STATUS_LABELS ? `${label} : ${REFERRAL_STATUS_LABELS[detail as ReferralStatus]}` : label;
    case 'handoff_answered':
      if (detail === 'cancelled') return $localize`Un passage de relais qui vous était proposé a été annulé`;
      return detail && detail in HANDOFF_STATUS_LABELS ? `${label} : ${HANDOFF_STATUS_LABELS[detail as HandoffStatus]}` : label;
    default:
      return label;
  }
}

/** Where the notification leads: the orientation's page, the handoffs, the structure's offer of services. */
export function notificationLink(notification: AppNotification): string[] {
  switch (notification.entityType) {
    case 'referral':
      return ['/orientations', notification.entityId];
    case 'handoff':
      return ['/relais'];
    case 'structure':
      return ['/administration/offre-de-services'];
  }
}
