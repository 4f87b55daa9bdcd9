import type { Role } from './roles';

/** An agent as seen by the administrators of a structure: one membership of a user. */
export interface Agent {
  /** Membership id: the agent's place in this structure. */
  id: string;
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  structureId: string | null;
  structureName: string | null;
  /** invited: account not activated yet; active; deactivated. */
  status: 'invited' | 'active' | 'deactivated';
  /** May open a file without consent for a legal reason (danger, legal obligation); every use is reviewed. */
  mayOverrideConsent: boolean;
  createdAt: string;
}

export interface SetConsentOverrideRequest {
  allowed: boolean;
}

export interface InviteAgentRequest {
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  /** Platform admins choose the structure; structure admins invite into their own. */
  structureId?: string;
}

export interface InviteAgentResponse {
  agent: Agent;
  /**
   * Single-use activation link to hand to the agent (also e-mailed when mail is configured).
   * null when the person already has an active account (the new membership is usable at once).
   */
  activationUrl: string | null;
  activationExpiresAt: string | null;
}
