import { REQUEST_STATUS_LABELS, REQUEST_TRANSITIONS, type RequestStatus } from '@passerelle/contracts';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';

/** Statuses that close a request (closed_at set). */
export const CLOSED_REQUEST_STATUSES: readonly RequestStatus[] = ['resolved', 'no_follow_up'];
/** Statuses of a request still followed: a new contact may be linked to it. */
export const ACTIVE_REQUEST_STATUSES: readonly RequestStatus[] = ['open', 'in_progress'];

export function isClosedStatus(status: RequestStatus): boolean {
  return CLOSED_REQUEST_STATUSES.includes(status);
}

/** Whether a request may go from `from` to `to` (the database trigger applies the same table). */
export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return REQUEST_TRANSITIONS[from].includes(to);
}

/** 409 INVALID_TRANSITION, naming both statuses as users see them. */
export function invalidTransition(from: RequestStatus, to: RequestStatus): DomainError {
  const allowed = REQUEST_TRANSITIONS[from].map((s) => `« ${REQUEST_STATUS_LABELS[s]} »`);
  const hint = allowed.length > 0 ? ` Statuts possibles : ${allowed.join(', ')}.` : ' Cette demande est close.';
  return new DomainError(
    'INVALID_TRANSITION',
    `Une demande au statut « ${REQUEST_STATUS_LABELS[from]} » ne peut pas passer au statut « ${REQUEST_STATUS_LABELS[to]} ».${hint}`,
  );
}

/** The trigger `request_status_transition` refused an UPDATE (SQLSTATE 23514, its constraint name). */
export function isTransitionRefusedByDatabase(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23514' && driverError.constraint === 'request_status_transition';
}

/** The database refused the transition: the status changed in between (another agent, another tab). */
export function transitionRefusedByDatabase(to: RequestStatus): DomainError {
  return new DomainError(
    'INVALID_TRANSITION',
    `Cette demande ne peut plus passer au statut « ${REQUEST_STATUS_LABELS[to]} » : son statut vient de changer. Rechargez la page.`,
  );
}
