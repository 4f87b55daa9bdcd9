import { SetMetadata } from '@nestjs/common';
import { ROLES, type Role } from '@passerelle/contracts';

export const ALLOWED_ROLES_KEY = 'passerelle:allowed-roles';
export const PUBLIC_KEY = 'passerelle:public';

/** Every role: any signed-in agent. */
export const ANY_ROLE: readonly Role[] = ROLES;

/**
 * Declares who may call a route (deny by default: a route without @Allow or @Public is refused,
 * and a test fails). Structure scoping is then enforced by the service.
 */
export const Allow = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES_KEY, roles);

/** Opens a route to unauthenticated callers (login, health, activation). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
