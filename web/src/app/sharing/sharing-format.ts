import {
  Consent,
  CONSENT_PURPOSE_LABELS,
  ConsentRecipient,
  DATA_CATEGORY_LABELS,
  DataCategory,
  OVERRIDE_LEGAL_BASIS_LABELS,
  OverrideLegalBasis,
  PERSON_ACCESS_REASON_LABELS,
  PersonAccessReason,
} from '@passerelle/contracts';

/** Who receives what a consent shares, in words. */
export function recipientLabel(recipient: ConsentRecipient): string {
  switch (recipient.kind) {
    case 'structure':
      return recipient.structureName ?? $localize`Structure partenaire`;
    case 'parcours':
      return $localize`Les structures du parcours de la personne`;
    case 'network':
      return $localize`Tout le réseau du territoire`;
  }
}

/** "Actif", "Retiré" or "Expiré": a consent's state now, in words (never by colour alone). */
export function consentStateLabel(consent: Consent): string {
  if (consent.active) return $localize`Actif`;
  return consent.withdrawnAt ? $localize`Retiré` : $localize`Expiré`;
}

/** "Orientation vers un partenaire – Département — action sociale". */
export function consentTitle(consent: Consent): string {
  return `${CONSENT_PURPOSE_LABELS[consent.purpose]} – ${recipientLabel(consent.recipient)}`;
}

export function categoryLabels(categories: readonly DataCategory[]): string[] {
  return categories.map((category) => DATA_CATEGORY_LABELS[category]);
}

/** Active consents first, then the others; newest first in each group (history is never hidden). */
export function sortConsents(consents: readonly Consent[]): Consent[] {
  return [...consents].sort((a, b) => Number(b.active) - Number(a.active) || b.collectedAt.localeCompare(a.collectedAt));
}

/**
 * The "why" of an access log line: an access reason, a legal basis, a consent's purpose and recipient
 * ("orientation:structure"), or the action's own code shown as is.
 */
export function accessLogReasonLabel(reason: string | null): string {
  if (!reason) return '';
  if (reason in PERSON_ACCESS_REASON_LABELS) return PERSON_ACCESS_REASON_LABELS[reason as PersonAccessReason];
  if (reason in OVERRIDE_LEGAL_BASIS_LABELS) {
    return $localize`Motif légal : ${OVERRIDE_LEGAL_BASIS_LABELS[reason as OverrideLegalBasis]}:basis:`;
  }
  if (reason === 'no_permission') return $localize`Sans la permission d'accès exceptionnel`;
  if (reason === 'network') return $localize`Recherche dans le réseau`;
  // A withdrawn consent's id says nothing to the reader.
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reason)) return '';
  const [purpose, kind] = reason.split(':');
  if (purpose in CONSENT_PURPOSE_LABELS && kind) {
    return CONSENT_PURPOSE_LABELS[purpose as keyof typeof CONSENT_PURPOSE_LABELS];
  }
  return reason;
}
