import { REFERRAL_OUTCOMES, type ReferralStatus } from '@passerelle/contracts';
import { ChangeReferralStatusDto } from './dto/referral.dto';
import { categoriesProblem, coveredCategories, inChargeAtProblem, missingCategories, statusChangeProblems, type StatusChangeInput } from './referral-rules';
import { statusUpdate } from './referrals.service';

const sentAt = new Date('2026-03-01T09:00:00Z');
const now = new Date('2026-03-10T09:00:00Z');
const problems = (input: StatusChangeInput) => statusChangeProblems(input, { sentAt, now }).map((p) => p.field);

describe('referral status change rules', () => {
  it('needs nothing for received, accepted and cancelled, and takes a comment with any step', () => {
    for (const status of ['received', 'accepted', 'cancelled'] as ReferralStatus[]) {
      expect(problems({ status })).toEqual([]);
      expect(problems({ status, comment: 'RDV à prévoir' })).toEqual([]);
    }
  });

  it('refused: a motif and the broken link; a comment for the motif « Autre »', () => {
    expect(problems({ status: 'refused' })).toEqual(['refusalReason', 'brokenLink']);
    expect(problems({ status: 'refused', refusalReason: 'out_of_zone' })).toEqual(['brokenLink']);
    expect(problems({ status: 'refused', refusalReason: 'out_of_zone', brokenLink: 5 })).toEqual([]);
    expect(problems({ status: 'refused', refusalReason: 'other', brokenLink: 5 })).toEqual(['comment']);
    expect(problems({ status: 'refused', refusalReason: 'other', brokenLink: 5, comment: 'Hors compétence' })).toEqual([]);
    const messages = statusChangeProblems({ status: 'refused' }, { sentAt, now }).flatMap((p) => p.messages);
    expect(messages.join(' ')).toMatch(/motif du refus.*maillon/);
  });

  it('redirected: the new structure; closed: the outcome, the broken link when it failed, never when done, a comment for « autre »', () => {
    expect(problems({ status: 'redirected' })).toEqual(['redirectToStructureId']);
    expect(problems({ status: 'redirected', redirectToStructureId: 'x', redirectToServiceId: 'y' })).toEqual([]);
    expect(problems({ status: 'closed' })).toEqual(['outcome']);
    const brokenLink: Record<(typeof REFERRAL_OUTCOMES)[number], 'required' | 'allowed' | 'refused'> = {
      done: 'refused',
      not_done: 'required',
      abandoned: 'required',
      unreachable: 'allowed',
      other: 'allowed',
    };
    for (const outcome of REFERRAL_OUTCOMES) {
      const comment = outcome === 'other' ? 'Déménagement' : undefined;
      const without = problems({ status: 'closed', outcome, comment });
      const withLink = problems({ status: 'closed', outcome, comment, brokenLink: 6 });
      expect({ outcome, without, withLink }).toEqual({
        outcome,
        without: brokenLink[outcome] === 'required' ? ['brokenLink'] : [],
        withLink: brokenLink[outcome] === 'refused' ? ['brokenLink'] : [],
      });
    }
    expect(problems({ status: 'closed', outcome: 'other' })).toEqual(['comment']);
  });

  it('in charge: its form; its date at most a year ahead and not before the orientation was sent', () => {
    expect(problems({ status: 'in_charge' })).toEqual(['inChargeKind']);
    expect(problems({ status: 'in_charge', inChargeKind: 'appointment' })).toEqual([]);
    expect(problems({ status: 'in_charge', inChargeKind: 'appointment', inChargeAt: '2026-06-01T14:00:00+02:00' })).toEqual([]);
    expect(inChargeAtProblem('2026-03-01T09:00:00Z', sentAt, now)).toBeNull();
    expect(inChargeAtProblem('2026-02-28T09:00:00Z', sentAt, now)).toMatch(/précéder/);
    expect(inChargeAtProblem('2027-03-12T09:00:00Z', sentAt, now)).toMatch(/un an/);
    expect(inChargeAtProblem('2027-03-10T09:00:00Z', sentAt, now)).toBeNull();
    for (const bad of ['2026-03-05', '2026-03-05T10:00:00', '2026-02-30T10:00:00Z', 'demain']) expect(inChargeAtProblem(bad, sentAt, now)).toMatch(/ISO 8601/);
  });

  it('refuses the fields of another step', () => {
    expect(problems({ status: 'accepted', refusalReason: 'other', brokenLink: 3, outcome: 'done', redirectToStructureId: 'x', inChargeKind: 'appointment' })).toEqual([
      'refusalReason',
      'brokenLink',
      'outcome',
      'redirectToStructureId',
      'inChargeKind',
    ]);
    expect(problems({ status: 'closed', outcome: 'done', inChargeAt: '2026-03-05T10:00:00Z' })).toEqual(['inChargeAt']);
    expect(problems({ status: 'cancelled', redirectToServiceId: 'y' })).toEqual(['redirectToServiceId']);
  });
});

describe('categories of an orientation', () => {
  it('lists what the consents do not cover, and keeps only what they cover for a réorientation', () => {
    expect(missingCategories(['needs_requests', 'identity_contact'], ['identity_contact'])).toEqual(['needs_requests']);
    expect(missingCategories([], [])).toEqual([]);
    expect(coveredCategories(['needs_requests', 'identity_contact', 'family_housing'], ['family_housing', 'identity_contact', 'documents'])).toEqual([
      'identity_contact',
      'family_housing',
    ]);
  });

  it('shares summaries only with the needs they belong to', () => {
    expect(categoriesProblem(['interview_summaries'])).toMatch(/Besoins et demandes/);
    expect(categoriesProblem(['interview_summaries', 'needs_requests'])).toBeNull();
    expect(categoriesProblem([])).toBeNull();
  });
});

describe('statusUpdate', () => {
  const dto = (input: Partial<ChangeReferralStatusDto>) => Object.assign(new ChangeReferralStatusDto(), input);

  it('stamps the dates of each step', () => {
    expect(statusUpdate('id', dto({ status: 'received' }), null).sql).toContain('received_at = now()');
    const accepted = statusUpdate('id', dto({ status: 'accepted' }), null).sql;
    expect(accepted).toContain('received_at = coalesce(received_at, now())');
    expect(accepted).toContain('answered_at = now()');
    const refused = statusUpdate('id', dto({ status: 'refused', refusalReason: 'no_capacity', brokenLink: 3, comment: 'Liste d’attente' }), null);
    expect(refused.params).toEqual(['id', 'refused', 'no_capacity', 3, 'Liste d’attente']);
    expect(statusUpdate('id', dto({ status: 'redirected' }), 'target').params).toEqual(['id', 'redirected', 'target']);
    const inCharge = statusUpdate('id', dto({ status: 'in_charge', inChargeKind: 'first_contact' }), null);
    expect(inCharge.sql).toContain('in_charge_at = coalesce($4::timestamptz, now())');
    expect(inCharge.params).toEqual(['id', 'in_charge', 'first_contact', null]);
    const closed = statusUpdate('id', dto({ status: 'closed', outcome: 'done' }), null);
    expect(closed.sql).toContain('closed_at = now()');
    expect(closed.params).toEqual(['id', 'closed', 'done', null]);
    expect(statusUpdate('id', dto({ status: 'cancelled' }), null).sql).toContain('cancelled_at = now()');
  });
});
