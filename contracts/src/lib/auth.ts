import type { Role } from './roles';
import type { StructureType } from './structures';

export interface LoginRequest {
  email: string;
  password: string;
}

export interface ActivateAccountRequest {
  token: string;
  password: string;
}

export interface SwitchMembershipRequest {
  membershipId: string;
}

export interface MembershipSummary {
  id: string;
  role: Role;
  /** null for platform_admin, which is not attached to a structure. */
  structure: { id: string; name: string; type: StructureType } | null;
  /** May open a file without consent for a legal reason (permission granted by the structure admin). */
  mayOverrideConsent: boolean;
}

/** GET /api/auth/me, and the body of a successful login. */
export interface CurrentUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  tenant: { id: string; code: string; name: string };
  /** The membership this session acts with: role and structure. */
  activeMembership: MembershipSummary;
  memberships: MembershipSummary[];
  /** When the session ends at the latest (absolute lifetime), ISO 8601. */
  sessionExpiresAt: string;
  /** Inactivity timeout in minutes. */
  idleTimeoutMinutes: number;
}

export interface HealthResponse {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  version: string;
}
