import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ErasureReport } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { ErasePersonDto } from './dto/erasure.dto';
import { ErasureService } from './erasure.service';

@ApiTags('persons')
@ApiCookieAuth()
@Controller('persons')
export class ErasureController {
  constructor(private readonly erasure: ErasureService) {}

  @Post(':id/erasure')
  @HttpCode(200)
  @Allow('structure_admin')
  @ApiOperation({
    summary:
      'Droit à l’effacement (RGPD art. 17), à la demande de la personne : anonymise aussitôt le dossier et les dossiers fusionnés dedans, comme la durée de conservation (identité, textes libres, documents ; codes, statuts et dates gardés pour les statistiques). Irréversible : confirmation = « EFFACER ». 409 ERASURE_BLOCKED tant qu’une demande est ouverte ou en cours, 409 ALREADY_ANONYMIZED si le dossier l’est déjà.',
  })
  erase(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ErasePersonDto): Promise<ErasureReport> {
    return this.erasure.erase(auth, id, dto);
  }
}
