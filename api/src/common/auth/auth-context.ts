import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Role } from '@passerelle/contracts';
import type { Request } from 'express';

/** Who is calling: resolved from the session cookie by the global SessionGuard. */
export interface AuthContext {
  sessionId: string;
  userId: string;
  tenantId: string;
  membershipId: string;
  role: Role;
  /** null for platform_admin. */
  structureId: string | null;
  csrfToken: string;
  expiresAt: Date;
  /** Client IP and request id, for the audit trail. */
  ip: string | null;
  requestId: string | null;
}

export type AuthenticatedRequest = Request & { auth?: AuthContext };

/** Injects the caller's AuthContext into a controller method. */
export const Auth = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthContext => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!req.auth) throw new Error('Auth() used on a route without authentication');
  return req.auth;
});
