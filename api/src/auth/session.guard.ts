import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@passerelle/contracts';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { ALLOWED_ROLES_KEY, PUBLIC_KEY } from '../common/auth/allow.decorator';
import type { AuthContext, AuthenticatedRequest } from '../common/auth/auth-context';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { requestActor } from './request-actor';
import { clearSessionCookies, SESSION_COOKIE, XSRF_HEADER } from './session-cookies';
import { SessionsService } from './sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global net (deny by default): every route must declare @Public() or @Allow(roles…).
 * Resolves the session cookie, checks the CSRF header on state-changing requests, then the role.
 * Refusals are audited.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES_KEY, targets);
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token !== 'string' || token.length === 0) throw new DomainError('AUTH_REQUIRED');

    let auth: AuthContext;
    try {
      auth = await this.sessions.resolve(token, requestActor(req));
    } catch (error) {
      clearSessionCookies(res, this.config.cookieSecure);
      throw error;
    }
    req.auth = auth;

    if (!SAFE_METHODS.has(req.method) && !sameToken(req.header(XSRF_HEADER), auth.csrfToken)) {
      await this.deny(auth, req, 'csrf');
      throw new DomainError('CSRF_INVALID');
    }
    if (!roles || roles.length === 0) {
      await this.deny(auth, req, 'undeclared_route');
      throw new DomainError('FORBIDDEN');
    }
    if (!roles.includes(auth.role)) {
      await this.deny(auth, req, 'role');
      throw new DomainError('FORBIDDEN');
    }
    return true;
  }

  private deny(auth: AuthContext, req: AuthenticatedRequest, reason: string): Promise<void> {
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`.slice(0, 64);
    return this.audit.record(auth, { action: 'authz.denied', outcome: 'denied', entityType: 'route', entityId: route, reason });
  }
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
