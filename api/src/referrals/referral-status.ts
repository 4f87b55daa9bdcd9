import { RECEIVER_STATUSES, REFERRAL_STATUS_LABELS, REFERRAL_TRANSITIONS, type ReferralStatus } from '@passerelle/contracts';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';

/** Which side of an orientation the caller's structure is on: it sent it, it receives it, or neither. */
export type ReferralSide = 'sender' | 'receiver' | 'none';

/** The one transition the sender makes: it withdraws the orientation while not taken in charge. */
export const SENDER_STATUSES: readonly ReferralStatus[] = ['cancelled'];

export function sideOf(referral: { fromStructureId: string; toStructureId: string }, structureId: string | null): ReferralSide {
  if (structureId === referral.fromStructureId) return 'sender';
  if (structureId === referral.toStructureId) return 'receiver';
  return 'none';
}

/** Whether an orientation may go from `from` to `to` (the database trigger applies the same table). */
export function canTransition(from: ReferralStatus, to: ReferralStatus): boolean {
  return REFERRAL_TRANSITIONS[from].includes(to);
}

/** Whether this side makes this transition: the receiver answers and follows up, the sender cancels. */
export function isMadeBy(side: ReferralSide, to: ReferralStatus): boolean {
  if (side === 'receiver') return RECEIVER_STATUSES.includes(to);
  if (side === 'sender') return SENDER_STATUSES.includes(to);
  return false;
}

/** What the caller's structure may do next with an orientation at `status` (`allowedTransitions`). */
export function allowedTransitions(status: ReferralStatus, side: ReferralSide): ReferralStatus[] {
  return REFERRAL_TRANSITIONS[status].filter((to) => isMadeBy(side, to));
}

const label = (s: ReferralStatus) => `« ${REFERRAL_STATUS_LABELS[s]} »`;

/** 409 INVALID_TRANSITION, naming both statuses as users see them, and what is still possible. */
export function invalidTransition(from: ReferralStatus, to: ReferralStatus): DomainError {
  const next = REFERRAL_TRANSITIONS[from];
  const hint = next.length > 0 ? ` Statuts possibles : ${next.map(label).join(', ')}.` : ' Cette orientation est close.';
  return new DomainError('INVALID_TRANSITION', `Une orientation au statut ${label(from)} ne peut pas passer au statut ${label(to)}.${hint}`);
}

/** 403: the other side's transition (the receiver answers; only the sender cancels). */
export function notYourTransition(side: ReferralSide, to: ReferralStatus): DomainError {
  return new DomainError(
    'FORBIDDEN',
    side === 'sender'
      ? `Seule la structure destinataire peut passer cette orientation au statut ${label(to)}.`
      : `Seule la structure qui a envoyé cette orientation peut l’annuler.`,
  );
}

/** The trigger `referral_status_transition` refused an UPDATE (SQLSTATE 23514, its constraint name). */
export function isTransitionRefusedByDatabase(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23514' && driverError.constraint === 'referral_status_transition';
}

/** The database refused the transition: the status changed in between (another agent, another tab). */
export function transitionRefusedByDatabase(to: ReferralStatus): DomainError {
  return new DomainError(
    'INVALID_TRANSITION',
    `Cette orientation ne peut plus passer au statut ${label(to)} : son statut vient de changer. Rechargez la page.`,
  );
}
