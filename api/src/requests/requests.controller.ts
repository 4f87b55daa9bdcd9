import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PersonRequest } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { ChangeRequestStatusDto } from './dto/change-request-status.dto';
import { RequestsService } from './requests.service';

@ApiTags('requests')
@ApiCookieAuth()
@Controller()
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Get('persons/:personId/requests')
  @Allow(...PERSON_ROLES)
  @ApiOperation({ summary: 'Demandes d’une personne (toutes structures), les plus récentes d’abord, avec les contacts qui les ont touchées.' })
  listForPerson(@Auth() auth: AuthContext, @Param('personId', new ParseUUIDPipe()) personId: string): Promise<PersonRequest[]> {
    return this.requests.listForPerson(auth, personId);
  }

  @Post('requests/:id/status')
  @Allow(...PERSON_ROLES)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Change le statut d’une demande de votre structure : ouverte → en cours | résolue | sans suite ; en cours → résolue | sans suite (motif obligatoire pour sans suite). Transition interdite : 409.',
  })
  changeStatus(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ChangeRequestStatusDto): Promise<PersonRequest> {
    return this.requests.changeStatus(auth, id, dto);
  }
}
