import { REQUEST_STATUSES, type RequestStatus } from '@passerelle/contracts';
import { QueryFailedError } from 'typeorm';
import { canTransition, invalidTransition, isTransitionRefusedByDatabase, transitionRefusedByDatabase } from './request-status';

describe('request status transitions', () => {
  it('allows exactly ouverte → en cours | résolue | sans suite and en cours → résolue | sans suite', () => {
    const allowed = REQUEST_STATUSES.flatMap((from) => REQUEST_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(
      ['open->in_progress', 'open->resolved', 'open->no_follow_up', 'in_progress->resolved', 'in_progress->no_follow_up'].sort(),
    );
  });

  it('refuses staying on the same status and leaving a closed status', () => {
    for (const s of REQUEST_STATUSES) expect(canTransition(s, s)).toBe(false);
    const closed: RequestStatus[] = ['resolved', 'no_follow_up'];
    for (const from of closed) for (const to of REQUEST_STATUSES) expect(canTransition(from, to)).toBe(false);
    expect(canTransition('in_progress', 'open')).toBe(false);
  });

  it('names both statuses in French in the 409 error', () => {
    const error = invalidTransition('resolved', 'in_progress');
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.status).toBe(409);
    expect(error.message).toContain('« Résolue »');
    expect(error.message).toContain('« En cours »');
    expect(invalidTransition('in_progress', 'open').message).toMatch(/« En cours ».*« Ouverte ».*« Résolue », « Sans suite »/);
  });

  it('recognises the trigger’s refusal (SQLSTATE 23514 on constraint request_status_transition) and nothing else', () => {
    const pgError = (code: string, constraint?: string) => Object.assign(new Error('refused'), { code, constraint });
    expect(isTransitionRefusedByDatabase(new QueryFailedError('UPDATE request', [], pgError('23514', 'request_status_transition')))).toBe(true);
    expect(isTransitionRefusedByDatabase(new QueryFailedError('UPDATE request', [], pgError('23514', 'request_closed_at')))).toBe(false);
    expect(isTransitionRefusedByDatabase(new QueryFailedError('UPDATE request', [], pgError('23505', 'request_status_transition')))).toBe(false);
    expect(isTransitionRefusedByDatabase(pgError('23514', 'request_status_transition'))).toBe(false);
    expect(transitionRefusedByDatabase('resolved')).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
  });
});
