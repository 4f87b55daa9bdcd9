import {
  ACCESSIBILITY_LINKS,
  DATA_CATEGORIES,
  DATA_CATEGORY_LABELS,
  DataCategory,
  FINAL_REFERRAL_STATUSES,
  IN_CHARGE_KIND_LABELS,
  Referral,
  REFERRAL_OUTCOME_LABELS,
  REFERRAL_STATUS_LABELS,
  ReferralEvent,
  ReferralStatus,
} from '@passerelle/contracts';
import { needLabel } from '../contacts/need-search';

/** Beyond this many days, an orientation still open is highlighted: the loop is at risk of breaking. */
export const STALE_REFERRAL_DAYS = 10;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days since the orientation was sent (0 on the day itself). */
export function ageInDays(referral: Pick<Referral, 'sentAt'>, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(referral.sentAt).getTime()) / DAY_MS));
}

/** Still open (not refused, redirected, closed nor cancelled) and sent more than 10 days ago. */
export function isStale(referral: Pick<Referral, 'sentAt' | 'status'>, now: Date = new Date()): boolean {
  return !FINAL_REFERRAL_STATUSES.includes(referral.status) && ageInDays(referral, now) > STALE_REFERRAL_DAYS;
}

/** "Clôturée — Réalisée", "Prise en charge", "Refusée"…: the status, with the outcome once closed. */
export function referralStatusLabel(referral: Pick<Referral, 'status' | 'outcome'>): string {
  const label = REFERRAL_STATUS_LABELS[referral.status];
  return referral.status === 'closed' && referral.outcome ? `${label} — ${REFERRAL_OUTCOME_LABELS[referral.outcome]}` : label;
}

/** DSFR badge colour of a status; the text always says the status (never the colour alone). */
export function referralBadgeClass(referral: Pick<Referral, 'status' | 'outcome'>): string {
  switch (referral.status) {
    case 'sent':
      return 'fr-badge--new';
    case 'received':
    case 'accepted':
    case 'in_charge':
      return 'fr-badge--info';
    case 'closed':
      return referral.outcome === 'done' ? 'fr-badge--success' : 'fr-badge--warning';
    case 'refused':
      return 'fr-badge--error';
    case 'redirected':
      return 'fr-badge--warning';
    case 'cancelled':
      return '';
  }
}

/** The person as the caller may see them: the name, or "Identité non partagée". */
export function referralPersonLabel(referral: Pick<Referral, 'personName'>): string {
  return referral.personName ?? $localize`Identité non partagée`;
}

export function referralNeedLabel(referral: Pick<Referral, 'bouquet'>): string {
  return needLabel(referral.bouquet);
}

export function brokenLinkLabel(code: number | null): string {
  if (code === null) return '';
  return ACCESSIBILITY_LINKS.find((link) => link.code === code)?.label ?? String(code);
}

/** The categories shared, in the usual order, as labels. */
export function sharedCategoryLabels(categories: readonly DataCategory[]): string[] {
  return DATA_CATEGORIES.filter((category) => categories.includes(category)).map((category) => DATA_CATEGORY_LABELS[category]);
}

/** "Envoyée", "Reçue", "Relancée"…: what one step of the loop was. */
export function eventLabel(event: Pick<ReferralEvent, 'status'>): string {
  switch (event.status) {
    case 'reminded':
      return $localize`Relance`;
    case 'expired':
      return $localize`Sans réponse dans le délai`;
    default:
      return REFERRAL_STATUS_LABELS[event.status];
  }
}

/** "Rendez-vous fixé", "Premier contact établi". */
export function inChargeLabel(referral: Pick<Referral, 'inChargeKind'>): string {
  return referral.inChargeKind ? IN_CHARGE_KIND_LABELS[referral.inChargeKind] : '';
}

/** Label of the button making the transition to `status`. */
export function transitionLabel(status: ReferralStatus): string {
  switch (status) {
    case 'accepted':
      return $localize`Accepter`;
    case 'refused':
      return $localize`Refuser`;
    case 'redirected':
      return $localize`Réorienter`;
    case 'in_charge':
      return $localize`Enregistrer la prise en charge`;
    case 'closed':
      return $localize`Clôturer`;
    case 'cancelled':
      return $localize`Annuler l'orientation`;
    default:
      return REFERRAL_STATUS_LABELS[status];
  }
}
