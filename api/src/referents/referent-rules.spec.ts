import { DATA_CATEGORIES, HANDOFF_STATUSES } from '@passerelle/contracts';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import {
  canHandoffTransition,
  HANDOFF_PENDING_MESSAGE,
  handoffInvalidTransition,
  referentsShared,
  REFERENT_RACE_MESSAGE,
  translateConstraintError,
} from './referent-rules';

const pgError = (code: string, constraint: string) => new QueryFailedError('UPDATE …', [], Object.assign(new Error('refused'), { code, constraint }));

describe('referent rules', () => {
  it('shows the référents to following structures and overrides, and under consent only with identity shared', () => {
    expect(referentsShared({ reason: 'followed_by_my_structure', categories: [...DATA_CATEGORIES] })).toBe(true);
    expect(referentsShared({ reason: 'override', categories: [...DATA_CATEGORIES] })).toBe(true);
    expect(referentsShared({ reason: 'consent', categories: ['needs_requests', 'interview_summaries'] })).toBe(false);
    expect(referentsShared({ reason: 'consent', categories: ['identity_contact'] })).toBe(true);
  });

  it('lets a handoff leave "proposed" once, and never come back', () => {
    expect(canHandoffTransition('proposed', 'accepted')).toBe(true);
    expect(canHandoffTransition('proposed', 'declined')).toBe(true);
    expect(canHandoffTransition('proposed', 'cancelled')).toBe(true);
    for (const from of HANDOFF_STATUSES.filter((s) => s !== 'proposed')) {
      for (const to of HANDOFF_STATUSES) expect(canHandoffTransition(from, to)).toBe(false);
    }
    const error = handoffInvalidTransition('accepted', 'cancelled');
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.message).toBe('Ce passage de relais est « Accepté » : il ne peut plus être « annulé ».');
  });

  it('answers the database’s refusals with 409s, and rethrows anything else', () => {
    const caught = (error: unknown) => {
      try {
        translateConstraintError(error);
      } catch (e) {
        return e;
      }
      throw new Error('translateConstraintError returned');
    };
    expect(caught(pgError('23505', 'referent_one_active_uq'))).toMatchObject({ code: 'CONFLICT', message: REFERENT_RACE_MESSAGE });
    expect(caught(pgError('23505', 'handoff_one_proposed_uq'))).toMatchObject({ code: 'CONFLICT', message: HANDOFF_PENDING_MESSAGE });
    const transition = caught(pgError('23514', 'handoff_status_transition'));
    expect(transition).toBeInstanceOf(DomainError);
    expect((transition as DomainError).status).toBe(409);
    const other = pgError('23505', 'handoff_tenant_id_client_request_id_key');
    expect(caught(other)).toBe(other);
    const plain = new Error('boom');
    expect(caught(plain)).toBe(plain);
  });
});
