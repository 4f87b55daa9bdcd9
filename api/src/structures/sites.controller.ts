import { Body, Controller, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Site } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { UpdateSiteDto } from './dto/site.dto';
import { SitesService } from './sites.service';

@ApiTags('structures')
@ApiCookieAuth()
@Controller('sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Patch(':id')
  @Allow('platform_admin', 'structure_admin')
  @ApiOperation({ summary: 'Modifie un lieu d’accueil (modification partielle ; « active » pour le fermer ou le rouvrir).' })
  update(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateSiteDto): Promise<Site> {
    return this.sites.update(auth, id, dto);
  }
}
