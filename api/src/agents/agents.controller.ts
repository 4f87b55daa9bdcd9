import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Agent, InviteAgentResponse } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { AgentsService } from './agents.service';
import { InviteAgentDto, ListAgentsQuery, SetConsentOverrideDto } from './dto/agent.dto';

@ApiTags('agents')
@ApiCookieAuth()
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Get()
  @Allow('structure_admin', 'platform_admin')
  @ApiOperation({ summary: 'Agents (affectations) d’une structure, triés par nom : invité, actif ou désactivé.' })
  list(@Auth() auth: AuthContext, @Query() query: ListAgentsQuery): Promise<Agent[]> {
    return this.agents.list(auth, query.structureId);
  }

  @Post()
  @Allow('structure_admin', 'platform_admin')
  @ApiOperation({ summary: 'Invite un agent : crée son compte et un lien d’activation à usage unique, ou ajoute une affectation à un compte existant.' })
  invite(@Auth() auth: AuthContext, @Body() dto: InviteAgentDto): Promise<InviteAgentResponse> {
    return this.agents.invite(auth, dto);
  }

  @Post(':id/deactivate')
  @Allow('structure_admin', 'platform_admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Désactive une affectation ; les sessions qui l’utilisent prennent fin immédiatement.' })
  deactivate(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<Agent> {
    return this.agents.deactivate(auth, id);
  }

  @Post(':id/consent-override')
  @Allow('structure_admin', 'platform_admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Accorde ou retire la permission d’ouvrir un dossier sans consentement pour un motif légal (danger, obligation légale). Chaque usage est tracé et soumis à la vérification de l’administrateur.',
  })
  setConsentOverride(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: SetConsentOverrideDto): Promise<Agent> {
    return this.agents.setConsentOverride(auth, id, dto.allowed);
  }

  @Post(':id/reactivate')
  @Allow('structure_admin', 'platform_admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Réactive une affectation désactivée.' })
  reactivate(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<Agent> {
    return this.agents.reactivate(auth, id);
  }

  @Post(':id/activation-link')
  @Allow('structure_admin', 'platform_admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Nouveau lien d’activation pour un agent qui n’a pas encore activé son compte (l’ancien cesse de fonctionner).' })
  activationLink(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<InviteAgentResponse> {
    return this.agents.newActivationLink(auth, id);
  }
}
