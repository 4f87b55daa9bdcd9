import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Handoff } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { AnswerHandoffDto, ProposeHandoffDto } from './dto/referents.dto';
import { HandoffsService } from './handoffs.service';

@ApiTags('handoffs')
@ApiCookieAuth()
@Controller('handoffs')
export class HandoffsController {
  constructor(private readonly handoffs: HandoffsService) {}

  @Post()
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Propose un passage de relais (note de transmission) à un professionnel ; idempotent sur clientRequestId. Vers une autre structure : consentement la nommant requis (409 CONSENT_REQUIRED). Un seul relais en attente par personne (409).',
  })
  propose(@Auth() auth: AuthContext, @Body() dto: ProposeHandoffDto): Promise<Handoff> {
    return this.handoffs.propose(auth, dto);
  }

  @Get('inbox')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Relais qui me sont proposés (en attente d’abord), et ceux répondus depuis 30 jours.' })
  inbox(@Auth() auth: AuthContext): Promise<Handoff[]> {
    return this.handoffs.inbox(auth);
  }

  @Get('sent')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Relais proposés par ma structure (en attente d’abord), et ceux répondus depuis 30 jours.' })
  sent(@Auth() auth: AuthContext): Promise<Handoff[]> {
    return this.handoffs.sent(auth);
  }

  @Get(':id')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Un relais, pour la structure qui l’a proposé et son destinataire seulement (404 sinon).' })
  get(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<Handoff> {
    return this.handoffs.get(auth, id);
  }

  @Post(':id/answer')
  @Allow(...PERSON_ROLES)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Réponse du destinataire : accepter (sa structure suit la personne ; devenir référent avec les critères) ou décliner (motif obligatoire). Déjà répondu : 409.',
  })
  answer(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AnswerHandoffDto): Promise<Handoff> {
    return this.handoffs.answer(auth, id, dto);
  }

  @Post(':id/cancel')
  @Allow(...PERSON_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Annule un relais en attente (structure qui l’a proposé). Déjà répondu : 409.' })
  cancel(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<Handoff> {
    return this.handoffs.cancel(auth, id);
  }
}
