import { HANDOFF_STATUS_LABELS, type HandoffStatus } from '@passerelle/contracts';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { PersonAccess } from '../persons/person-access.service';

/**
 * Whether the caller may see the person's référents (who, which structure, how to reach it): the
 * structures that follow the person (and an exceptional access) always; a structure that sees the file
 * only by consent when "Identité et coordonnées" is shared with it — the référent's contact is what lets
 * a partner avoid making the person tell their story again, and naming the professional who follows
 * someone is identifying.
 */
export function referentsShared(access: PersonAccess): boolean {
  return access.reason !== 'consent' || access.categories.includes('identity_contact');
}

/** The handoff state machine, the same table as the database trigger `handoff_status_transition`. */
export const HANDOFF_TRANSITIONS: Record<HandoffStatus, readonly HandoffStatus[]> = {
  proposed: ['accepted', 'declined', 'cancelled'],
  accepted: [],
  declined: [],
  cancelled: [],
};

export function canHandoffTransition(from: HandoffStatus, to: HandoffStatus): boolean {
  return HANDOFF_TRANSITIONS[from].includes(to);
}

/** 409 INVALID_TRANSITION, with both statuses as users see them. */
export function handoffInvalidTransition(from: HandoffStatus, to: HandoffStatus): DomainError {
  return new DomainError(
    'INVALID_TRANSITION',
    `Ce passage de relais est « ${HANDOFF_STATUS_LABELS[from]} » : il ne peut plus être « ${HANDOFF_STATUS_LABELS[to].toLowerCase()} ».`,
  );
}

/** The database refused a write because of this constraint (a CHECK or trigger: 23514; a unique index: 23505). */
export function isConstraintViolation(error: unknown, code: '23505' | '23514', constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === code && driverError.constraint === constraint;
}

export const REFERENT_RACE_MESSAGE =
  'Un autre référent vient d’être désigné pour cette personne en même temps : rechargez la page pour voir le référent en cours.';
export const HANDOFF_PENDING_MESSAGE =
  'Un passage de relais attend déjà une réponse pour cette personne : attendez la réponse du destinataire, ou annulez ce relais avant d’en proposer un autre.';
export const HANDOFF_RACE_MESSAGE = 'Ce passage de relais vient de changer de statut : rechargez la page.';

/** Maps the database's refusals of a référent or handoff write to 409s with a clear message; rethrows anything else. */
export function translateConstraintError(error: unknown): never {
  if (isConstraintViolation(error, '23505', 'referent_one_active_uq')) throw new DomainError('CONFLICT', REFERENT_RACE_MESSAGE);
  if (isConstraintViolation(error, '23505', 'handoff_one_proposed_uq')) throw new DomainError('CONFLICT', HANDOFF_PENDING_MESSAGE);
  if (isConstraintViolation(error, '23514', 'handoff_status_transition')) throw new DomainError('INVALID_TRANSITION', HANDOFF_RACE_MESSAGE);
  throw error;
}
