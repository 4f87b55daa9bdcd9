import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CaseloadEntry, PersonReferents, Professional } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { DesignateReferentDto, EndReferentDto, ProfessionalsQueryDto } from './dto/referents.dto';
import { ReferentsService } from './referents.service';

@ApiTags('referents')
@ApiCookieAuth()
@Controller()
export class ReferentsController {
  constructor(private readonly referents: ReferentsService) {}

  @Get('persons/:personId/referents')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Référent de parcours en cours et historique. Une structure qui voit le dossier par consentement seulement les voit si « Identité et coordonnées » lui est partagé ; la précision des critères, seulement la structure du référent.',
  })
  list(@Auth() auth: AuthContext, @Param('personId', new ParseUUIDPipe()) personId: string): Promise<PersonReferents> {
    return this.referents.list(auth, personId);
  }

  @Post('persons/:personId/referent')
  @Allow(...PERSON_ROLES)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Désigne le référent (un professionnel actif d’une structure qui suit la personne), avec les critères ; le référent précédent est remplacé. Désignation concurrente : 409.',
  })
  designate(
    @Auth() auth: AuthContext,
    @Param('personId', new ParseUUIDPipe()) personId: string,
    @Body() dto: DesignateReferentDto,
  ): Promise<PersonReferents> {
    return this.referents.designate(auth, personId, dto);
  }

  @Post('persons/:personId/referent/end')
  @Allow(...PERSON_ROLES)
  @HttpCode(200)
  @ApiOperation({ summary: 'Met fin à l’accompagnement du référent en cours (par la structure du référent).' })
  end(@Auth() auth: AuthContext, @Param('personId', new ParseUUIDPipe()) personId: string, @Body() dto: EndReferentDto): Promise<PersonReferents> {
    return this.referents.end(auth, personId, dto);
  }

  @Get('professionals')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Professionnels en activité du territoire (nom, rôle, structure), pour choisir un référent ou le destinataire d’un relais.' })
  professionals(@Auth() auth: AuthContext, @Query() query: ProfessionalsQueryDto): Promise<Professional[]> {
    return this.referents.professionals(auth, query);
  }

  @Get('caseload')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Mes accompagnements : les personnes dont je suis le référent, avec leurs demandes et orientations en cours.' })
  caseload(@Auth() auth: AuthContext): Promise<CaseloadEntry[]> {
    return this.referents.caseload(auth);
  }
}
