import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { AuthService, type AuthenticatedUser } from './auth.service';
import { requestActor } from './request-actor';

/**
 * E-mail + password, as a Passport strategy. Other ways to sign in (ProConnect through
 * openid-client) plug in as further strategies that also resolve to an AuthenticatedUser,
 * then AuthService.openSession() — the session layer does not change.
 */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  validate(req: Request, email: string, password: string): Promise<AuthenticatedUser> {
    return this.auth.verifyPassword(email, password, requestActor(req));
  }
}
