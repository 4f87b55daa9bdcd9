import { CurrentUser, MembershipSummary, Role } from '@passerelle/contracts';

/** A signed-in user for unit tests, acting with `role` in the "CCAS de Gap" structure. */
export function aCurrentUser(role: Role = 'reception_agent', extraMemberships: MembershipSummary[] = []): CurrentUser {
  const activeMembership: MembershipSummary = {
    id: 'membership-1',
    role,
    structure: role === 'platform_admin' ? null : { id: 'structure-1', name: 'CCAS de Gap', type: 'ccas' },
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
