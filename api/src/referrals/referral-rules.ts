import {
  ACCESSIBILITY_LINKS,
  DATA_CATEGORIES,
  DATA_CATEGORY_LABELS,
  FAILED_REFERRAL_OUTCOMES,
  type DataCategory,
  type InChargeKind,
  type ReferralOutcome,
  type ReferralStatus,
  type RefusalReason,
} from '@passerelle/contracts';

/** A field-level problem, in the `details` shape of a 400 VALIDATION_FAILED. */
export interface FieldProblem {
  field: string;
  messages: string[];
}

/** The fields of a status change (ChangeReferralStatusRequest, once validated for types). */
export interface StatusChangeInput {
  status: ReferralStatus;
  refusalReason?: RefusalReason | null;
  redirectToStructureId?: string | null;
  redirectToServiceId?: string | null;
  inChargeKind?: InChargeKind | null;
  inChargeAt?: string | null;
  outcome?: ReferralOutcome | null;
  brokenLink?: number | null;
  comment?: string | null;
}

/** The date of taking in charge (an appointment is usually ahead): at most a year ahead, never before the orientation was sent. */
export const IN_CHARGE_MAX_AHEAD_DAYS = 366;

const LINKS = ACCESSIBILITY_LINKS.map((l) => `${l.code} ${l.label}`).join(', ');

export const M = {
  refusalReason: 'Indiquez le motif du refus.',
  refusalReasonOnlyRefused: 'Le motif de refus ne s’indique que pour un refus.',
  brokenLinkRefused: `Indiquez le maillon de la chaîne d’accessibilité qui a rompu (${LINKS}).`,
  brokenLinkClosed: `Pour une orientation non réalisée ou abandonnée, indiquez le maillon de la chaîne d’accessibilité qui a rompu (${LINKS}).`,
  brokenLinkDone: 'Une orientation réalisée n’a pas de maillon rompu.',
  brokenLinkOnlyFailure: 'Le maillon rompu ne s’indique que pour un refus ou une clôture sans résultat.',
  commentOtherReason: 'Précisez le motif du refus en commentaire (motif « Autre »).',
  commentOtherOutcome: 'Précisez le résultat en commentaire (résultat « Autre »).',
  redirectTo: 'Indiquez la structure vers laquelle réorienter la personne.',
  redirectOnlyRedirected: 'La structure de réorientation ne s’indique que pour une réorientation.',
  inChargeKind: 'Indiquez la forme de la prise en charge : rendez-vous fixé ou premier contact établi.',
  inChargeOnly: 'La forme et la date de prise en charge ne s’indiquent que pour une prise en charge.',
  inChargeAtFormat: 'Date de prise en charge invalide : format ISO 8601 avec fuseau attendu, par ex. 2026-03-12T09:30:00+01:00.',
  inChargeAtAhead: 'La date de prise en charge ne peut pas être à plus d’un an.',
  inChargeAtBeforeSent: 'La date de prise en charge ne peut pas précéder l’envoi de l’orientation.',
  outcome: 'Indiquez le résultat de l’orientation.',
  outcomeOnlyClosed: 'Le résultat ne s’indique qu’à la clôture.',
  summariesWithoutNeeds: 'Les synthèses d’entretien se partagent avec les besoins et demandes auxquels elles appartiennent : cochez aussi « Besoins et demandes ».',
};

const given = (value: unknown) => value !== undefined && value !== null;

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm), a real calendar date. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;
export function parseInstant(value: string): Date | null {
  const m = ISO_INSTANT.exec(value);
  if (!m || Number.isNaN(Date.parse(value))) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null;
  return new Date(value);
}

/** Why `value` is not an acceptable date of taking in charge, in French; null when it is fine. */
export function inChargeAtProblem(value: string, sentAt: Date, now: Date): string | null {
  const at = parseInstant(value);
  if (!at) return M.inChargeAtFormat;
  const latest = new Date(now);
  latest.setUTCDate(latest.getUTCDate() + IN_CHARGE_MAX_AHEAD_DAYS);
  if (at.getTime() > latest.getTime()) return M.inChargeAtAhead;
  if (at.getTime() < sentAt.getTime()) return M.inChargeAtBeforeSent;
  return null;
}

/**
 * What a status change lacks, or carries that does not belong to it (400, French messages):
 * - refusée: a motif and the broken link of the accessibility chain; a comment for the motif « Autre »;
 * - réorientée: the new structure;
 * - prise en charge: its form (rendez-vous, premier contact); its date defaults to now;
 * - clôturée: the outcome; the broken link for « non réalisée » and « abandon » (allowed for
 *   « injoignable » and « autre », refused for « réalisée »); a comment for « autre ».
 * A comment may go with any step. Targets (structure, service) are checked against the database by the service.
 */
export function statusChangeProblems(input: StatusChangeInput, context: { sentAt: Date; now: Date }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, messages: [message] });
  const { status } = input;
  const failedClosing = status === 'closed' && !!input.outcome && FAILED_REFERRAL_OUTCOMES.includes(input.outcome);

  if (status === 'refused') {
    if (!given(input.refusalReason)) add('refusalReason', M.refusalReason);
    if (!given(input.brokenLink)) add('brokenLink', M.brokenLinkRefused);
    if (input.refusalReason === 'other' && !given(input.comment)) add('comment', M.commentOtherReason);
  } else {
    if (given(input.refusalReason)) add('refusalReason', M.refusalReasonOnlyRefused);
    if (status === 'closed') {
      if (!given(input.outcome)) add('outcome', M.outcome);
      if (failedClosing && !given(input.brokenLink)) add('brokenLink', M.brokenLinkClosed);
      if (input.outcome === 'done' && given(input.brokenLink)) add('brokenLink', M.brokenLinkDone);
      if (input.outcome === 'other' && !given(input.comment)) add('comment', M.commentOtherOutcome);
    } else if (given(input.brokenLink)) {
      add('brokenLink', M.brokenLinkOnlyFailure);
    }
  }
  if (status !== 'closed' && given(input.outcome)) add('outcome', M.outcomeOnlyClosed);

  if (status === 'redirected') {
    if (!given(input.redirectToStructureId)) add('redirectToStructureId', M.redirectTo);
  } else {
    if (given(input.redirectToStructureId)) add('redirectToStructureId', M.redirectOnlyRedirected);
    if (given(input.redirectToServiceId)) add('redirectToServiceId', M.redirectOnlyRedirected);
  }

  if (status === 'in_charge') {
    if (!given(input.inChargeKind)) add('inChargeKind', M.inChargeKind);
    if (typeof input.inChargeAt === 'string') {
      const problem = inChargeAtProblem(input.inChargeAt, context.sentAt, context.now);
      if (problem) add('inChargeAt', problem);
    }
  } else {
    if (given(input.inChargeKind)) add('inChargeKind', M.inChargeOnly);
    if (given(input.inChargeAt)) add('inChargeAt', M.inChargeOnly);
  }
  return problems;
}

/** The categories asked for that the consents do not cover, in the vocabulary's order. */
export function missingCategories(requested: readonly DataCategory[], covered: readonly DataCategory[]): DataCategory[] {
  return DATA_CATEGORIES.filter((c) => requested.includes(c) && !covered.includes(c));
}

/** The categories passed on to a réorientation: those of the orientation that the consents cover for the new structure. */
export function coveredCategories(requested: readonly DataCategory[], covered: readonly DataCategory[]): DataCategory[] {
  return DATA_CATEGORIES.filter((c) => requested.includes(c) && covered.includes(c));
}

/** Summaries go with the needs they belong to, as in consents (decision 0007). */
export function categoriesProblem(categories: readonly DataCategory[]): string | null {
  return categories.includes('interview_summaries') && !categories.includes('needs_requests') ? M.summariesWithoutNeeds : null;
}

/** The French message of 409 CONSENT_REQUIRED, naming the categories and the structure. */
export function consentRequiredMessage(missing: readonly DataCategory[], structureName: string): string {
  const names = missing.map((c) => `« ${DATA_CATEGORY_LABELS[c]} »`).join(', ');
  return (
    `La personne n’a pas consenti à partager ${names} avec ${structureName} : recueillez son consentement ` +
    `(destinataire : cette structure), ou envoyez l’orientation sans ces informations.`
  );
}
