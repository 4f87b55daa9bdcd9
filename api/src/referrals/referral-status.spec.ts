import { RECEIVER_STATUSES, REFERRAL_STATUSES, REFERRAL_TRANSITIONS, type ReferralStatus } from '@passerelle/contracts';
import { QueryFailedError } from 'typeorm';
import {
  allowedTransitions,
  canTransition,
  invalidTransition,
  isMadeBy,
  isTransitionRefusedByDatabase,
  notYourTransition,
  sideOf,
  transitionRefusedByDatabase,
} from './referral-status';

describe('referral status transitions', () => {
  it('allows exactly the closed loop envoyée → reçue → acceptée | refusée | réorientée → prise en charge → clôturée, annulée before taken in charge', () => {
    const allowed = REFERRAL_STATUSES.flatMap((from) => REFERRAL_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(
      [
        'sent->received',
        'sent->accepted',
        'sent->refused',
        'sent->redirected',
        'sent->cancelled',
        'received->accepted',
        'received->refused',
        'received->redirected',
        'received->cancelled',
        'accepted->in_charge',
        'accepted->closed',
        'accepted->cancelled',
        'in_charge->closed',
      ].sort(),
    );
  });

  it('refuses staying on the same status, going back to sent, and leaving a final status', () => {
    for (const s of REFERRAL_STATUSES) expect(canTransition(s, s)).toBe(false);
    for (const s of REFERRAL_STATUSES) expect(canTransition(s, 'sent')).toBe(false);
    const final: ReferralStatus[] = ['refused', 'redirected', 'closed', 'cancelled'];
    for (const from of final) for (const to of REFERRAL_STATUSES) expect(canTransition(from, to)).toBe(false);
    expect(canTransition('in_charge', 'cancelled')).toBe(false);
  });

  it('gives the receiver the answers and the follow-up, the sender only the cancellation, a third structure nothing', () => {
    const referral = { fromStructureId: 'a', toStructureId: 'b' };
    expect([sideOf(referral, 'a'), sideOf(referral, 'b'), sideOf(referral, 'c'), sideOf(referral, null)]).toEqual(['sender', 'receiver', 'none', 'none']);
    for (const to of REFERRAL_STATUSES) {
      expect(isMadeBy('receiver', to)).toBe(RECEIVER_STATUSES.includes(to));
      expect(isMadeBy('sender', to)).toBe(to === 'cancelled');
      expect(isMadeBy('none', to)).toBe(false);
    }
    expect(allowedTransitions('sent', 'receiver')).toEqual(['received', 'accepted', 'refused', 'redirected']);
    expect(allowedTransitions('sent', 'sender')).toEqual(['cancelled']);
    expect(allowedTransitions('accepted', 'receiver')).toEqual(['in_charge', 'closed']);
    expect(allowedTransitions('in_charge', 'sender')).toEqual([]);
    expect(allowedTransitions('in_charge', 'receiver')).toEqual(['closed']);
    expect(allowedTransitions('sent', 'none')).toEqual([]);
    for (const s of REFERRAL_STATUSES) {
      expect([...allowedTransitions(s, 'receiver'), ...allowedTransitions(s, 'sender')].sort()).toEqual([...REFERRAL_TRANSITIONS[s]].sort());
    }
  });

  it('names both statuses in French in the 409 error, and what is still possible', () => {
    const error = invalidTransition('closed', 'accepted');
    expect(error).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
    expect(error.message).toContain('« Clôturée »');
    expect(error.message).toContain('« Acceptée »');
    expect(error.message).toContain('close');
    expect(invalidTransition('in_charge', 'refused').message).toMatch(/« Prise en charge ».*« Refusée ».*Statuts possibles : « Clôturée »/);
    expect(notYourTransition('sender', 'accepted')).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(notYourTransition('receiver', 'cancelled').message).toContain('annuler');
  });

  it('recognises the trigger’s refusal (SQLSTATE 23514 on constraint referral_status_transition) and nothing else', () => {
    const pgError = (code: string, constraint?: string) => Object.assign(new Error('refused'), { code, constraint });
    expect(isTransitionRefusedByDatabase(new QueryFailedError('UPDATE referral', [], pgError('23514', 'referral_status_transition')))).toBe(true);
    expect(isTransitionRefusedByDatabase(new QueryFailedError('UPDATE referral', [], pgError('23514', 'referral_closed')))).toBe(false);
    expect(isTransitionRefusedByDatabase(new QueryFailedError('UPDATE referral', [], pgError('23505', 'referral_status_transition')))).toBe(false);
    expect(isTransitionRefusedByDatabase(pgError('23514', 'referral_status_transition'))).toBe(false);
    expect(transitionRefusedByDatabase('closed')).toMatchObject({ code: 'INVALID_TRANSITION', status: 409, message: expect.stringContaining('vient de changer') });
  });
});
