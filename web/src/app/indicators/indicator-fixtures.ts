import {
  BarrierIndicators,
  ContactIndicators,
  ContinuityIndicators,
  FlowIndicators,
  IndicatorFilters,
  IndicatorMeta,
  ReferralIndicators,
} from '@passerelle/contracts';

/** Reports of each section as the API sends them, for the specs (Hautes-Alpes, small counts suppressed). */
export function aMeta(filters: IndicatorFilters = { from: '2026-08-01', to: '2026-10-31' }, suppressed = true): IndicatorMeta {
  return { filters, suppressed, generatedAt: '2026-11-24T09:00:00.000Z' };
}

export function someContacts(overrides: Partial<ContactIndicators> = {}): ContactIndicators {
  return {
    ...aMeta(),
    total: 1234,
    anonymous: 210,
    answeredAtFirstContact: 962,
    answeredAtFirstContactRate: 0.78,
    informationOnly: 640,
    byChannel: [
      { key: 'in_person', label: 'Accueil physique', count: 800 },
      { key: 'phone', label: 'Téléphone', count: 430 },
      { key: 'video', label: 'Visio', count: '< 5' },
    ],
    byAnswer: [
      { key: 'information', label: 'Information donnée', count: 640 },
      { key: 'other', label: 'Autre', count: 'secret' },
    ],
    byNeed: [{ key: 5, label: 'Prestations sociales', count: 512 }],
    bySite: [{ key: 'site-1', label: 'Accueil de Gap', count: 1100 }],
    byHour: [
      { key: 9, label: '9 h', count: 300 },
      { key: 10, label: '10 h', count: 410 },
    ],
    byWeekday: [
      { key: 1, label: 'lundi', count: 350 },
      { key: 2, label: 'mardi', count: 280 },
    ],
    ...overrides,
  };
}

const noOutcomes = { done: 0, not_done: 0, unreachable: 0, abandoned: 0, other: 0 };

export function someReferrals(overrides: Partial<ReferralIndicators> = {}): ReferralIndicators {
  return {
    ...aMeta(),
    total: 96,
    acceptanceRate: 0.825,
    medianDaysToAnswer: 2.5,
    medianDaysToCharge: 9,
    closedLoopRate: 0.61,
    outcomes: { ...noOutcomes, done: 40, not_done: 7, unreachable: '< 5' },
    byPartner: [
      {
        structure: { id: 'caf', name: 'CAF des Hautes-Alpes' },
        sent: 60,
        accepted: 52,
        refused: 8,
        acceptanceRate: 0.867,
        medianDaysToAnswer: 1,
        medianDaysToCharge: 7.5,
        outcomes: { ...noOutcomes, done: 30, not_done: 6 },
        closedLoopRate: 0.7,
      },
      {
        structure: { id: 'ccas-veynes', name: 'CCAS de Veynes' },
        sent: '< 5',
        accepted: '< 5',
        refused: 0,
        acceptanceRate: null,
        medianDaysToAnswer: null,
        medianDaysToCharge: null,
        outcomes: noOutcomes,
        closedLoopRate: null,
      },
    ],
    ...overrides,
  };
}

export function someFlows(overrides: Partial<FlowIndicators> = {}): FlowIndicators {
  return {
    ...aMeta(),
    structures: [
      { id: 'fs', name: 'France Services du Briançonnais' },
      { id: 'caf', name: 'CAF des Hautes-Alpes' },
      { id: 'ccas', name: 'CCAS de Gap' },
    ],
    flows: [
      { fromId: 'fs', toId: 'caf', count: 42 },
      { fromId: 'fs', toId: 'ccas', count: '< 5' },
      { fromId: 'ccas', toId: 'caf', count: 12 },
    ],
    ...overrides,
  };
}

export function someBarriers(overrides: Partial<BarrierIndicators> = {}): BarrierIndicators {
  return {
    ...aMeta(),
    total: 31,
    byLink: [
      { key: 1, label: 'Information', count: 0 },
      { key: 6, label: 'Transports', count: 14 },
      { key: 9, label: 'Coût', count: '< 5' },
    ],
    byNeed: [{ bouquet: 14, label: 'Hébergement / logement', links: { 6: 9, 9: '< 5' }, total: 12 }],
    byTerritory: [{ code: 'epci:200067825', label: 'CC du Briançonnais', links: { 6: 7 }, total: 7 }],
    ...overrides,
  };
}

export function someContinuity(overrides: Partial<ContinuityIndicators> = {}): ContinuityIndicators {
  return {
    ...aMeta(),
    personsSeen: 870,
    personsWithReferent: 312,
    referentShare: 0.359,
    medianDaysBetweenContacts: 23,
    alertsOverTime: [
      { week: '2026-10-19', opened: 12, closed: 9, openAtEnd: 30 },
      { week: '2026-10-26', opened: '< 5', closed: 'secret', openAtEnd: 31 },
    ],
    ...overrides,
  };
}
