import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Referral } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { ChangeReferralStatusDto, CreateReferralDto, ReferralListQueryDto } from './dto/referral.dto';
import { ReferralsService } from './referrals.service';

@ApiTags('referrals')
@ApiCookieAuth()
@Controller()
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post('referrals')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Envoie une orientation vers une structure partenaire (et l’un de ses services) pour une personne que votre structure suit. ' +
      'Les catégories de données doivent être couvertes par un consentement actif nommant le destinataire (409 CONSENT_REQUIRED sinon). ' +
      'Idempotent sur clientRequestId.',
  })
  create(@Auth() auth: AuthContext, @Body() dto: CreateReferralDto): Promise<Referral> {
    return this.referrals.create(auth, dto);
  }

  // Declared before referrals/:id, so that "inbox" and "sent" are not taken for ids.
  @Get('referrals/inbox')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Orientations reçues par votre structure, les plus récentes d’abord (filtres : statut, bouquet, ancienneté ; pagination limit/offset).' })
  inbox(@Auth() auth: AuthContext, @Query() query: ReferralListQueryDto): Promise<Referral[]> {
    return this.referrals.inbox(auth, query);
  }

  @Get('referrals/sent')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Orientations envoyées par votre structure, les plus récentes d’abord (filtres : statut, bouquet, ancienneté ; pagination limit/offset).' })
  sent(@Auth() auth: AuthContext, @Query() query: ReferralListQueryDto): Promise<Referral[]> {
    return this.referrals.sent(auth, query);
  }

  @Get('referrals/:id')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Une orientation, pour la structure qui l’a envoyée ou celle qui la reçoit (404 sinon). Ouverte par le destinataire, une orientation « envoyée » devient « reçue ».',
  })
  get(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<Referral> {
    return this.referrals.get(auth, id);
  }

  @Post('referrals/:id/status')
  @Allow(...PERSON_ROLES)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Fait avancer une orientation : reçue, acceptée, refusée (motif, maillon rompu), réorientée (nouvelle orientation vers une autre structure), ' +
      'prise en charge (forme, date), clôturée (résultat) — par la structure destinataire ; annulée — par la structure qui l’a envoyée. Transition interdite : 409.',
  })
  changeStatus(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ChangeReferralStatusDto): Promise<Referral> {
    return this.referrals.changeStatus(auth, id, dto);
  }

  @Get('persons/:personId/referrals')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Orientations d’une personne : celles que votre structure a envoyées ou reçues, et celles des autres structures quand « besoins et demandes » vous est partagé.',
  })
  listForPerson(@Auth() auth: AuthContext, @Param('personId', new ParseUUIDPipe()) personId: string): Promise<Referral[]> {
    return this.referrals.listForPerson(auth, personId);
  }
}
