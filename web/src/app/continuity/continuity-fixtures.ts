import { ContinuityAlert, ContinuityAlertPage, ContinuitySummary, CONTINUITY_DEFAULT_THRESHOLDS } from '@passerelle/contracts';

/** Test data of the continuity specs (no test framework here: plain data builders). */

/**
 * An orientation of Jean-Pierre N'Diaye about housing, sent to the CCAS de Gap by France Services du
 * Briançonnais 20 days ago, still unanswered (threshold 15 days), not acknowledged.
 */
export function anAlert(overrides: Partial<ContinuityAlert> = {}): ContinuityAlert {
  return {
    key: 'referral_unanswered~referral-1~2026-11-01T09:00:00.000Z',
    kind: 'referral_unanswered',
    subjectId: 'referral-1',
    referralId: 'referral-1',
    requestId: null,
    gapSince: '2026-11-01T09:00:00.000Z',
    ageDays: 20,
    thresholdDays: 15,
    bouquet: 14,
    structure: { id: 'structure-1', name: 'CCAS de Gap' },
    counterpart: { id: 'structure-3', name: 'France Services du Briançonnais' },
    person: { id: 'person-1', name: "Jean-Pierre N'Diaye" },
    acknowledgement: null,
    ...overrides,
  };
}

/** An open request of a person whose identity is not shared with the structure, without contact for 50 days. */
export function anUnsharedRequestAlert(overrides: Partial<ContinuityAlert> = {}): ContinuityAlert {
  return anAlert({
    key: 'request_without_contact~request-2~2026-10-02T08:00:00.000Z',
    kind: 'request_without_contact',
    subjectId: 'request-2',
    referralId: null,
    requestId: 'request-2',
    gapSince: '2026-10-02T08:00:00.000Z',
    ageDays: 50,
    thresholdDays: 45,
    bouquet: 5,
    counterpart: null,
    person: { id: 'person-2', name: null },
    ...overrides,
  });
}

/** The same alerts as a coordinator receives them: no `person` key. */
export function forCoordinator(alert: ContinuityAlert): ContinuityAlert {
  const copy = { ...alert };
  delete copy.person;
  return copy;
}

export function aPage(items: ContinuityAlert[], overrides: Partial<ContinuityAlertPage> = {}): ContinuityAlertPage {
  return { items, total: items.length, limit: 20, offset: 0, ...overrides };
}

/** Seven alerts in the territory: 4 at the CCAS de Gap, 3 at France Services du Briançonnais; 2 acknowledged. */
export function aSummary(overrides: Partial<ContinuitySummary> = {}): ContinuitySummary {
  const none = { referral_unanswered: 0, referral_not_in_charge: 0, referral_failed_no_followup: 0, request_without_referent: 0, accompaniment_lost_contact: 0, request_without_contact: 0 };
  return {
    generatedAt: '2026-11-21T08:00:00.000Z',
    thresholds: { ...CONTINUITY_DEFAULT_THRESHOLDS },
    totals: { ...none, referral_unanswered: 3, request_without_referent: 1, request_without_contact: 3 },
    acknowledged: 2,
    byStructure: [
      {
        structure: { id: 'structure-3', name: 'France Services du Briançonnais', communeInsee: '05023', epciCode: '200067320' },
        counts: { ...none, request_without_contact: 3 },
        total: 3,
      },
      {
        structure: { id: 'structure-1', name: 'CCAS de Gap', communeInsee: '05061', epciCode: '200067254' },
        counts: { ...none, referral_unanswered: 3, request_without_referent: 1 },
        total: 4,
      },
      {
        structure: { id: 'structure-2', name: 'Mairie de Veynes', communeInsee: '05179', epciCode: '200067254' },
        counts: { ...none },
        total: 0,
      },
    ],
    ...overrides,
  };
}
