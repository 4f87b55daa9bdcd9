import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AccessLogEntry, AccessOverride, Consent, SubjectAccessExport } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { AccessOverridesService } from './access-overrides.service';
import { ConsentsService } from './consents.service';
import { CreateAccessOverrideDto, CreateConsentDto } from './dto/sharing.dto';
import { SubjectAccessService } from './subject-access.service';

const uuid = () => new ParseUUIDPipe();

@ApiTags('sharing')
@ApiCookieAuth()
@Controller()
export class SharingController {
  constructor(
    private readonly consents: ConsentsService,
    private readonly overrides: AccessOverridesService,
    private readonly subjectAccess: SubjectAccessService,
  ) {}

  @Get('persons/:id/consents')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Les consentements de la personne, actifs et passés (structures qui la suivent).' })
  listConsents(@Auth() auth: AuthContext, @Param('id', uuid()) id: string): Promise<Consent[]> {
    return this.consents.list(auth, id);
  }

  @Post('persons/:id/consents')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Recueille un consentement de la personne : destinataires, catégories d’informations, finalité, mode de recueil, version de la notice. Idempotent sur clientRequestId.',
  })
  createConsent(@Auth() auth: AuthContext, @Param('id', uuid()) id: string, @Body() dto: CreateConsentDto): Promise<Consent> {
    return this.consents.create(auth, id, dto);
  }

  @Post('persons/:id/consents/:consentId/withdraw')
  @HttpCode(200)
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Retire un consentement : effet dès la requête suivante ; l’historique est conservé.' })
  withdrawConsent(@Auth() auth: AuthContext, @Param('id', uuid()) id: string, @Param('consentId', uuid()) consentId: string): Promise<Consent> {
    return this.consents.withdraw(auth, id, consentId);
  }

  @Post('persons/:id/access-overrides')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary: `Accès exceptionnel au dossier sans consentement, pour un motif légal (danger, obligation légale) : permission dédiée, motif obligatoire, durée limitée, tracé et signalé à l’administrateur.`,
  })
  createOverride(@Auth() auth: AuthContext, @Param('id', uuid()) id: string, @Body() dto: CreateAccessOverrideDto): Promise<AccessOverride> {
    return this.overrides.create(auth, id, dto);
  }

  @Get('persons/:id/access-log')
  @Allow('structure_admin')
  @ApiOperation({ summary: 'Journal des accès au dossier : qui l’a ouvert, quand, depuis quelle structure, pourquoi (imprimable pour la personne).' })
  accessLog(@Auth() auth: AuthContext, @Param('id', uuid()) id: string): Promise<AccessLogEntry[]> {
    return this.overrides.accessLog(auth, id);
  }

  @Get('persons/:id/export.json')
  @Allow('structure_admin')
  @Header('Content-Disposition', 'attachment; filename="donnees-personne.json"')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Droit d’accès (RGPD art. 15) : tout ce que votre structure détient sur la personne, ce qui lui est partagé, les consentements, les accès exceptionnels et le journal des accès, en JSON.',
  })
  exportJson(@Auth() auth: AuthContext, @Param('id', uuid()) id: string): Promise<SubjectAccessExport> {
    return this.subjectAccess.export(auth, id);
  }

  @Get('access-overrides')
  @Allow('structure_admin')
  @ApiOperation({ summary: 'Les accès exceptionnels des agents de votre structure, ceux à vérifier d’abord.' })
  listOverrides(@Auth() auth: AuthContext): Promise<AccessOverride[]> {
    return this.overrides.listForReview(auth);
  }

  @Post('access-overrides/:id/review')
  @HttpCode(200)
  @Allow('structure_admin')
  @ApiOperation({ summary: 'Marque un accès exceptionnel comme vérifié.' })
  reviewOverride(@Auth() auth: AuthContext, @Param('id', uuid()) id: string): Promise<AccessOverride> {
    return this.overrides.review(auth, id);
  }
}
