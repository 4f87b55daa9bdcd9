import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TimelineEntry } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { PERSON_ROLES } from '../persons/person-access.service';
import { TimelineService } from './timeline.service';

@ApiTags('timeline')
@ApiCookieAuth()
@Controller('persons')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get(':personId/timeline')
  @Allow(...PERSON_ROLES)
  @ApiOperation({
    summary:
      'Parcours d’une personne, du plus récent au plus ancien : contacts (toutes structures, note privée de votre seule structure), demandes ouvertes ou closes, orientations envoyées et leurs étapes.',
  })
  forPerson(@Auth() auth: AuthContext, @Param('personId', new ParseUUIDPipe()) personId: string): Promise<TimelineEntry[]> {
    return this.timeline.forPerson(auth, personId);
  }
}
