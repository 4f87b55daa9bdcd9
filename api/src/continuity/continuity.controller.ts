import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ContinuityAlert, ContinuityAlertPage, ContinuitySummary, ContinuityThresholds } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { CONTINUITY_ROLES, ContinuityService } from './continuity.service';
import { AcknowledgeContinuityAlertDto, ContinuityAlertQueryDto, ContinuitySummaryQueryDto, UpdateContinuityThresholdsDto } from './dto/continuity.dto';

@ApiTags('continuity')
@ApiCookieAuth()
@Controller('continuity')
export class ContinuityController {
  constructor(private readonly continuity: ContinuityService) {}

  @Get('thresholds')
  @Allow(...CONTINUITY_ROLES)
  @ApiOperation({ summary: 'Délais (en jours) au-delà desquels chaque rupture de parcours devient une alerte : ceux du département, sinon les délais par défaut.' })
  thresholds(@Auth() auth: AuthContext): Promise<ContinuityThresholds> {
    return this.continuity.thresholds(auth);
  }

  @Put('thresholds')
  @Allow('coordinator')
  @ApiOperation({ summary: 'Règle les délais des alertes du département (coordinateurs) : chaque type est requis, de 1 à 730 jours.' })
  updateThresholds(@Auth() auth: AuthContext, @Body() dto: UpdateContinuityThresholdsDto): Promise<ContinuityThresholds> {
    return this.continuity.updateThresholds(auth, dto);
  }

  @Get('alerts')
  @Allow(...CONTINUITY_ROLES)
  @ApiOperation({
    summary:
      'Ruptures de parcours en cours, les plus anciennes d’abord : celles que votre structure doit traiter (la personne, si vous pouvez la voir), ' +
      'ou toutes celles du département pour un coordinateur (sans jamais la personne). Filtres : type, structure (coordinateurs), territoire, état.',
  })
  list(@Auth() auth: AuthContext, @Query() query: ContinuityAlertQueryDto): Promise<ContinuityAlertPage> {
    return this.continuity.list(auth, query);
  }

  @Get('alerts/:key')
  @Allow(...CONTINUITY_ROLES)
  @ApiOperation({ summary: 'Une alerte en cours, par sa clé (400 pour une clé invalide ; 404 si le délai a été rattrapé ou si elle ne vous concerne pas).' })
  get(@Auth() auth: AuthContext, @Param('key') key: string): Promise<ContinuityAlert> {
    return this.continuity.get(auth, key);
  }

  @Post('alerts/acknowledgements')
  @Allow(...CONTINUITY_ROLES)
  @HttpCode(200)
  @ApiOperation({
    summary:
      '« Vu, on s’en occupe » : prend en compte une alerte en cours (la structure qui doit agir, ou un coordinateur), avec un commentaire facultatif. ' +
      'Recommencer met à jour le commentaire. 404 si le délai a été rattrapé entre-temps.',
  })
  acknowledge(@Auth() auth: AuthContext, @Body() dto: AcknowledgeContinuityAlertDto): Promise<ContinuityAlert> {
    return this.continuity.acknowledge(auth, dto);
  }

  @Get('summary')
  @Allow(...CONTINUITY_ROLES)
  @ApiOperation({ summary: 'Nombre d’alertes en cours par type et par structure qui doit agir : tout le département (coordinateurs) ou votre structure.' })
  summary(@Auth() auth: AuthContext, @Query() query: ContinuitySummaryQueryDto): Promise<ContinuitySummary> {
    return this.continuity.summary(auth, query);
  }
}
