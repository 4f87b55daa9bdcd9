import {
  Contact,
  DATA_CATEGORIES,
  CurrentUser,
  MembershipSummary,
  Person,
  PersonRequest,
  PersonSearchHit,
  Role,
  Site,
} from '@passerelle/contracts';

/** A signed-in user for unit tests, acting with `role` in the "CCAS de Gap" structure. */
export function aCurrentUser(
  role: Role = 'reception_agent',
  extraMemberships: MembershipSummary[] = [],
  membership: Partial<MembershipSummary> = {},
): CurrentUser {
  const activeMembership: MembershipSummary = {
    id: 'membership-1',
    role,
    structure: role === 'platform_admin' ? null : { id: 'structure-1', name: 'CCAS de Gap', type: 'ccas' },
    mayOverrideConsent: false,
    ...membership,
  };
  return {
    id: 'user-1',
    email: 'marie.curie@demo.passerelle.fr',
    firstName: 'Marie',
    lastName: 'Curie',
    tenant: { id: 'tenant-1', code: '05', name: 'Hautes-Alpes' },
    activeMembership,
    memberships: [activeMembership, ...extraMemberships],
    sessionExpiresAt: '2026-11-24T18:00:00.000Z',
    idleTimeoutMinutes: 30,
  };
}

/** A search hit: Jean-Pierre N'Diaye, born in 1984, living in Briançon. */
export function aHit(overrides: Partial<PersonSearchHit> = {}): PersonSearchHit {
  return {
    id: 'person-1',
    usageLastName: "N'Diaye",
    birthLastName: null,
    firstNames: 'Jean-Pierre',
    birthDate: '1984-01-01',
    birthDatePrecision: 'year',
    communeName: 'Briançon',
    score: 0.9,
    lastContactAt: '2026-11-20T09:30:00.000Z',
    ...overrides,
  };
}

export function aPerson(overrides: Partial<Person> = {}): Person {
  return {
    id: 'person-1',
    usageLastName: "N'Diaye",
    birthLastName: null,
    firstNames: 'Jean-Pierre',
    birthDate: '1984-01-01',
    birthDatePrecision: 'year',
    communeInsee: '05023',
    communeName: 'Briançon',
    noStableHome: false,
    domiciliation: null,
    phone: '0612345678',
    email: null,
    languages: [],
    needsInterpreter: false,
    contactPreference: null,
    household: null,
    dependentChildren: null,
    nationalityGroup: null,
    createdAt: '2026-10-01T10:00:00.000Z',
    updatedAt: '2026-10-01T10:00:00.000Z',
    access: 'followed_by_my_structure',
    categories: [...DATA_CATEGORIES],
    ...overrides,
  };
}

export function aSite(overrides: Partial<Site> = {}): Site {
  return {
    id: 'site-1',
    structureId: 'structure-1',
    name: 'CCAS de Gap — accueil',
    kind: 'fixed',
    address: '5 rue Colonel Roux',
    communeInsee: '05061',
    communeName: 'Gap',
    openingHours: null,
    recurrence: null,
    recurrenceLabel: null,
    active: true,
    ...overrides,
  };
}

export function aContact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: 'contact-1',
    personId: 'person-1',
    structureId: 'structure-1',
    structureName: 'CCAS de Gap',
    siteId: 'site-1',
    agent: { id: 'user-1', name: 'Marie Curie' },
    channel: 'in_person',
    occurredAt: '2026-11-24T09:00:00.000Z',
    durationMinutes: null,
    needs: [{ bouquet: 14, subNeed: null, detail: null }],
    answer: 'information',
    summary: null,
    requestIds: [],
    ...overrides,
  };
}

export function aRequest(overrides: Partial<PersonRequest> = {}): PersonRequest {
  return {
    id: 'request-1',
    personId: 'person-1',
    structureId: 'structure-1',
    structureName: 'CCAS de Gap',
    bouquet: 14,
    subNeed: null,
    description: null,
    status: 'open',
    closedReason: null,
    openedAt: '2026-11-20T09:30:00.000Z',
    closedAt: null,
    contactIds: ['contact-1'],
    ...overrides,
  };
}
