import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { CurrentUser } from '@passerelle/contracts';
import type { Request, Response } from 'express';
import { Allow, ANY_ROLE, Public } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { AppConfig } from '../config/app-config';
import { AuthService, type AuthenticatedUser } from './auth.service';
import { ActivateAccountDto, LoginDto, SwitchMembershipDto } from './dto/login.dto';
import { LocalAuthGuard } from './local-auth.guard';
import { requestActor } from './request-actor';
import { clearSessionCookies, setSessionCookies } from './session-cookies';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(ThrottlerGuard, LocalAuthGuard)
  @ApiOperation({ summary: 'Connexion par adresse électronique et mot de passe ; ouvre une session (cookie).' })
  @ApiBody({ type: LoginDto })
  async login(@Req() req: Request & { user: AuthenticatedUser }, @Res({ passthrough: true }) res: Response): Promise<CurrentUser> {
    const actor = requestActor(req);
    const { token, session } = await this.auth.openSession(req.user, 'password', actor);
    setSessionCookies(res, token, session.csrfToken, session.expiresAt, this.config.cookieSecure);
    const context = await this.sessions.resolveById(session.id, actor);
    return this.auth.currentUser(context);
  }

  @Post('logout')
  @Allow(...ANY_ROLE)
  @HttpCode(204)
  @ApiCookieAuth()
  async logout(@Auth() auth: AuthContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(auth);
    clearSessionCookies(res, this.config.cookieSecure);
  }

  @Get('me')
  @Allow(...ANY_ROLE)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'L’agent connecté, son affectation active et ses autres affectations.' })
  me(@Auth() auth: AuthContext): Promise<CurrentUser> {
    return this.auth.currentUser(auth);
  }

  @Post('membership')
  @Allow(...ANY_ROLE)
  @HttpCode(200)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Change l’affectation (structure et rôle) avec laquelle la session agit.' })
  switchMembership(@Auth() auth: AuthContext, @Body() dto: SwitchMembershipDto): Promise<CurrentUser> {
    return this.auth.switchMembership(auth, dto.membershipId);
  }

  @Post('activate')
  @Public()
  @HttpCode(204)
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: 'Active un compte invité : choix du mot de passe depuis le lien d’activation.' })
  activate(@Req() req: Request, @Body() dto: ActivateAccountDto): Promise<void> {
    return this.auth.activate(dto.token, dto.password, requestActor(req));
  }
}
