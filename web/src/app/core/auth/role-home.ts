import { Role } from '@passerelle/contracts';

/** Where each role lands after login or on `/`. */
export const ROLE_HOME: Readonly<Record<Role, string>> = {
  reception_agent: '/accueil',
  social_worker: '/suivi',
  coordinator: '/coordination',
  structure_admin: '/administration',
  platform_admin: '/plateforme',
};

/** Roles that record contacts at the reception desk (`/accueil`) and open person files. */
export const DESK_ROLES: readonly Role[] = ['reception_agent', 'social_worker', 'structure_admin'];

export function roleHomeUrl(role: Role): string {
  return ROLE_HOME[role];
}

/**
 * A `retour` query parameter is only followed when it is a path of this application: this keeps the
 * login page from being used to send people to another site (open redirect).
 */
export function safeReturnUrl(retour: string | null | undefined): string | null {
  if (!retour || !retour.startsWith('/') || retour.startsWith('//') || retour.startsWith('/\\')) return null;
  if (retour.startsWith('/connexion') || retour.startsWith('/activation')) return null;
  return retour;
}
