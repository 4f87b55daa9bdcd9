import { SECONDARY_SUPPRESSED as S2, SUPPRESSED as S, type ContactAnswer, type ContactChannel, type IndicatorMeta } from '@passerelle/contracts';
import { barrierIndicators, contactIndicators, continuityIndicators, rate, referralIndicators, type ContactAggregate, type ReferralStats } from './indicator-reports';

const meta = (suppressed: boolean): IndicatorMeta => ({ filters: { from: '2026-01-01', to: '2026-03-31', scope: suppressed ? 'territory' : 'structure' }, suppressed, generatedAt: 'now' });

const stats = (s: Partial<ReferralStats>): ReferralStats => ({
  sent: 0,
  answered: 0,
  accepted: 0,
  refused: 0,
  redirected: 0,
  closed: 0,
  cancelled: 0,
  outcomes: { done: 0, not_done: 0, unreachable: 0, abandoned: 0, other: 0 },
  answerDelays: 0,
  medianDaysToAnswer: null,
  chargeDelays: 0,
  medianDaysToCharge: null,
  ...s,
});

describe('indicator reports', () => {
  it('rates have 3 decimals and are null over nothing', () => {
    expect(rate(2, 3)).toBe(0.667);
    expect(rate(1, 8)).toBe(0.125);
    expect(rate(0, 5)).toBe(0);
    expect(rate(0, 0)).toBeNull();
  });

  const contacts: ContactAggregate = {
    total: 10,
    anonymous: 2,
    byChannel: new Map<ContactChannel, number>([
      ['in_person', 7],
      ['phone', 3],
    ]),
    byAnswer: new Map<ContactAnswer, number>([
      ['information', 5],
      ['procedure_done', 1],
      ['appointment', 2],
      ['referral_needed', 1],
      ['other', 1],
    ]),
    byNeed: new Map([
      [5, 6],
      [14, 2],
    ]),
    bySite: [
      { siteId: 'site-a', name: 'Accueil', count: 9 },
      { siteId: null, name: '', count: 1 },
    ],
    byHour: new Map([
      [9, 6],
      [14, 4],
    ]),
    byWeekday: new Map([
      [1, 6],
      [2, 4],
    ]),
  };

  it('contacts, exact: every row of the vocabularies, labels in French', () => {
    const r = contactIndicators(contacts, meta(false));
    expect(r).toMatchObject({ total: 10, anonymous: 2, answeredAtFirstContact: 8, answeredAtFirstContactRate: 0.8, informationOnly: 5, suppressed: false });
    expect(r.byChannel).toHaveLength(7);
    expect(r.byChannel[0]).toEqual({ key: 'in_person', label: 'Accueil physique', count: 7 });
    expect(r.byNeed).toHaveLength(18);
    expect(r.byNeed.find((n) => n.key === 14)).toEqual({ key: 14, label: 'Hébergement / logement', count: 2 });
    expect(r.bySite).toEqual([
      { key: 'site-a', label: 'Accueil', count: 9 },
      { key: 'none', label: '(sans lieu)', count: 1 },
    ]);
    expect(r.byHour).toHaveLength(24);
    expect(r.byHour[9]).toEqual({ key: 9, label: '9 h', count: 6 });
    expect(r.byWeekday.map((w) => w.label)).toEqual(['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche']);
  });

  it('contacts, suppressed: one small part beside the total hides the next smallest part', () => {
    const r = contactIndicators(contacts, meta(true));
    expect(r.total).toBe(10);
    expect(r.anonymous).toBe(S);
    // phone 3 is small: in_person 7 = 10 − 3 would give it back.
    expect(r.byChannel.slice(0, 3).map((c) => c.count)).toEqual([S2, S, 0]);
    // (sans lieu) 1 is small: the site's 9 is hidden too.
    expect(r.bySite.map((s) => s.count)).toEqual([S2, S]);
    // 14 h: 4 hidden → 9 h hidden; Tuesday 4 hidden → Monday hidden.
    expect([r.byHour[9].count, r.byHour[14].count]).toEqual([S2, S]);
    expect([r.byWeekday[0].count, r.byWeekday[1].count]).toEqual([S2, S]);
    // information 5, and two others small among the first-contact answers: nothing more to hide there.
    expect(r.byAnswer.map((a) => a.count)).toEqual([5, S, S, S, 0, S]);
    expect(r.answeredAtFirstContact).toBe(8);
    expect(r.answeredAtFirstContactRate).toBe(0.8);
    expect(r.byNeed.find((n) => n.key === 5)?.count).toBe(6);
    expect(r.byNeed.find((n) => n.key === 14)?.count).toBe(S);
  });

  it('barriers, suppressed: cross tables protected by rows and by columns', () => {
    const r = barrierIndicators(
      {
        byLink: new Map([
          [3, 12],
          [6, 8],
        ]),
        byNeed: new Map([
          [
            5,
            new Map([
              [3, 10],
              [6, 2],
            ]),
          ],
          [
            14,
            new Map([
              [3, 2],
              [6, 6],
            ]),
          ],
        ]),
        byTerritory: [
          {
            code: '200067825',
            label: 'CA Gap-Tallard-Durance',
            links: new Map([
              [3, 12],
              [6, 8],
            ]),
          },
        ],
      },
      meta(true),
    );
    expect(r.total).toBe(20);
    expect(r.byLink.map((l) => l.count)).toEqual([0, 0, 12, 0, 0, 8, 0, 0, 0, 0, 0]);
    // Row 5: 2 hidden → 10 hidden; row 14: 2 hidden → 6 hidden; each column then has two hidden cells.
    expect(r.byNeed.map((n) => [n.bouquet, n.links[3], n.links[6], n.links[1], n.total])).toEqual([
      [5, S2, S, 0, 12],
      [14, S, S2, 0, 8],
    ]);
    expect(r.byTerritory).toEqual([{ code: 'epci:200067825', label: 'CA Gap-Tallard-Durance', links: expect.objectContaining({ 3: 12, 6: 8, 1: 0 }), total: 20 }]);
  });

  it('barriers: structures without a commune are "(hors EPCI)", listed last', () => {
    const r = barrierIndicators(
      {
        byLink: new Map([[1, 2]]),
        byNeed: new Map([[4, new Map([[1, 2]])]]),
        byTerritory: [
          { code: '', label: '', links: new Map([[1, 1]]) },
          { code: '240500439', label: 'CC du Briançonnais', links: new Map([[1, 1]]) },
        ],
      },
      meta(false),
    );
    expect(r.byTerritory.map((t) => [t.code, t.label, t.total])).toEqual([
      ['epci:240500439', 'CC du Briançonnais', 1],
      ['hors-epci', '(hors EPCI)', 1],
    ]);
  });

  it('referrals, suppressed: rates and medians over fewer than 5 are null; hidden partners listed last', () => {
    const big = stats({ sent: 11, answered: 9, accepted: 6, refused: 2, redirected: 1, closed: 4, cancelled: 1, answerDelays: 9, medianDaysToAnswer: 2, chargeDelays: 4, medianDaysToCharge: 4 });
    const small = stats({ sent: 2, answered: 2, accepted: 1, refused: 1, closed: 1, outcomes: { done: 1, not_done: 0, unreachable: 0, abandoned: 0, other: 0 }, answerDelays: 2, medianDaysToAnswer: 1.5 });
    const total = stats({ sent: 13, answered: 11, accepted: 7, refused: 3, redirected: 1, closed: 5, cancelled: 1, answerDelays: 11, medianDaysToAnswer: 2, chargeDelays: 5, medianDaysToCharge: 3, outcomes: { done: 1, not_done: 0, unreachable: 0, abandoned: 0, other: 0 } });
    const r = referralIndicators(
      { total, byPartner: [{ ...small, structure: { id: 'a', name: 'A' } }, { ...big, structure: { id: 'b', name: 'B' } }] },
      meta(true),
    );
    expect(r.total).toBe(13);
    expect(r.acceptanceRate).toBe(0.636);
    expect(r.closedLoopRate).toBe(0.75);
    // A's 2 is small: B's 11 would give it back from the total 13. Both hidden: listed by name.
    expect(r.byPartner.map((p) => [p.structure.id, p.sent])).toEqual([
      ['a', S],
      ['b', S2],
    ]);
    expect(r.byPartner[1]).toMatchObject({ accepted: 6, refused: S, acceptanceRate: 0.667, medianDaysToAnswer: 2, medianDaysToCharge: null, closedLoopRate: 0.7 });
    expect(r.byPartner[0]).toMatchObject({ accepted: S, acceptanceRate: null, medianDaysToAnswer: null, closedLoopRate: null });
    expect(r.outcomes.done).toBe(S);
  });

  it('continuity, suppressed: the share beside a hidden count is null; the weekly balance is protected', () => {
    const r = continuityIndicators(
      {
        personsSeen: 8,
        personsWithReferent: 4,
        gaps: 7,
        medianDaysBetweenContacts: 14,
        alertsOverTime: [
          { week: '2026-01-05', opened: 6, closed: 0, openAtEnd: 10 },
          { week: '2026-01-12', opened: 2, closed: 5, openAtEnd: 7 },
        ],
      },
      meta(true),
    );
    expect(r).toMatchObject({ personsSeen: 8, personsWithReferent: S, referentShare: null, medianDaysBetweenContacts: 14 });
    // 10 + 2 = 7 + 5: opened 2 hidden → closed 5 hidden too.
    expect(r.alertsOverTime).toEqual([
      { week: '2026-01-05', opened: 6, closed: 0, openAtEnd: 10 },
      { week: '2026-01-12', opened: S, closed: S2, openAtEnd: 7 },
    ]);
    const exact = continuityIndicators(
      { personsSeen: 8, personsWithReferent: 4, gaps: 3, medianDaysBetweenContacts: 14, alertsOverTime: [] },
      meta(false),
    );
    expect(exact).toMatchObject({ personsWithReferent: 4, referentShare: 0.5, medianDaysBetweenContacts: 14 });
  });
});
