import { DirectorySearchHit, Referral, Structure } from '@passerelle/contracts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** An ISO date `days` days ago. */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString();
}

/**
 * An orientation of Jean-Pierre N'Diaye about housing, sent 2 days ago by France Services du
 * Briançonnais to the CCAS de Gap (the test user's structure), not yet opened.
 */
export function aReferral(overrides: Partial<Referral> = {}): Referral {
  return {
    id: 'referral-1',
    personId: 'person-1',
    personName: "Jean-Pierre N'Diaye",
    from: { id: 'structure-3', name: 'France Services du Briançonnais', type: 'france_services', userName: 'Camille Arnaud' },
    to: { id: 'structure-1', name: 'CCAS de Gap', type: 'ccas' },
    service: { id: 'service-1', name: 'Aide au logement' },
    fromContactId: null,
    requestId: null,
    parentReferralId: null,
    bouquet: 14,
    message: 'Loyer impayé depuis deux mois.',
    categories: ['identity_contact'],
    status: 'sent',
    sentAt: daysAgo(2),
    receivedAt: null,
    answeredAt: null,
    refusalReason: null,
    redirectedTo: null,
    redirectReferralId: null,
    inChargeKind: null,
    inChargeAt: null,
    closedAt: null,
    outcome: null,
    brokenLink: null,
    statusComment: null,
    cancelledAt: null,
    remindedAt: null,
    expiredAt: null,
    events: [{ status: 'sent', at: daysAgo(2), userName: 'Camille Arnaud', structureName: 'France Services du Briançonnais' }],
    allowedTransitions: ['accepted', 'refused', 'redirected'],
    ...overrides,
  };
}

export function aPartnerStructure(overrides: Partial<Structure> = {}): Structure {
  return {
    id: 'structure-2',
    name: 'Département — action sociale',
    type: 'departmental_social_service',
    siret: null,
    email: null,
    phone: null,
    communeInsee: null,
    communeName: null,
    active: true,
    siteCount: 1,
    ...overrides,
  };
}

export function aServiceHit(overrides: Partial<DirectorySearchHit> = {}): DirectorySearchHit {
  return {
    id: 'service-2',
    structure: { id: 'structure-2', name: 'Département — action sociale', type: 'departmental_social_service', phone: null, email: null },
    name: 'Accompagnement social',
    description: null,
    bouquets: [10, 14],
    thematiques: [],
    publics: [],
    accessConditions: null,
    cost: 'free',
    costDetails: null,
    receptionModes: ['in_person'],
    mobilizationModes: ['phone'],
    mobilizationUrl: null,
    documentsToBring: [],
    openingHours: null,
    zone: { kind: 'departement', communes: [] },
    sites: [],
    contactPhone: null,
    contactEmail: null,
    website: null,
    active: true,
    lastVerifiedAt: '2026-11-01T00:00:00.000Z',
    lastVerifiedBy: null,
    stale: false,
    source: 'passerelle',
    proximity: 'departement',
    ...overrides,
  };
}
