import { CaseloadEntry, Handoff, Professional, Referent } from '@passerelle/contracts';

/** Samia Benali, social worker of the Département, référent of Jean-Pierre N'Diaye since 1 November 2026. */
export function aReferent(overrides: Partial<Referent> = {}): Referent {
  return {
    id: 'referent-1',
    personId: 'person-1',
    user: { id: 'user-2', name: 'Samia Benali' },
    structure: { id: 'structure-2', name: 'Département — action sociale', phone: '04 92 00 00 00', email: 'social@departement.fr' },
    criteria: ['person_preference', 'relevance'],
    chosenWithPerson: true,
    designatedBy: 'Marie Curie',
    startedAt: '2026-11-01T10:00:00.000Z',
    endedAt: null,
    endedReason: null,
    ...overrides,
  };
}

export function aProfessional(overrides: Partial<Professional> = {}): Professional {
  return {
    userId: 'user-2',
    name: 'Samia Benali',
    role: 'social_worker',
    structureId: 'structure-2',
    structureName: 'Département — action sociale',
    ...overrides,
  };
}

/** A handoff of Jean-Pierre N'Diaye from the CCAS de Gap (Paul Martin) to the test user (Marie Curie), waiting. */
export function aHandoff(overrides: Partial<Handoff> = {}): Handoff {
  return {
    id: 'handoff-1',
    personId: 'person-1',
    personName: "Jean-Pierre N'DIAYE",
    from: { structureId: 'structure-3', structureName: 'France Services du Briançonnais', userName: 'Camille Arnaud' },
    to: { structureId: 'structure-1', structureName: 'CCAS de Gap', userId: 'user-1', userName: 'Marie Curie' },
    note: 'Dossier RSA en cours ; préfère être appelé le matin.',
    proposeReferent: true,
    status: 'proposed',
    declineReason: null,
    proposedAt: '2026-11-24T09:00:00.000Z',
    answeredAt: null,
    ...overrides,
  };
}

export function aCaseloadEntry(overrides: Partial<CaseloadEntry> = {}): CaseloadEntry {
  return {
    personId: 'person-1',
    personName: "Jean-Pierre N'DIAYE",
    referentSince: '2026-11-01T10:00:00.000Z',
    lastContactAt: '2026-11-20T09:30:00.000Z',
    openRequests: [{ id: 'request-1', bouquet: 5, status: 'in_progress' }],
    openReferrals: [{ id: 'referral-1', bouquet: 14, status: 'sent', toStructureName: 'CCAS de Gap', direction: 'sent' }],
    ...overrides,
  };
}
