import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DirectoryService } from '@passerelle/contracts';
import { Allow } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { CreateServiceDto, UpdateServiceDto } from './dto/service.dto';
import { ServiceCatalog } from './service-catalog';

/** The offer of services of a structure, managed by its admin (the platform admin: any structure of the tenant). */
@ApiTags('directory')
@ApiCookieAuth()
@Controller()
export class ServicesAdminController {
  constructor(private readonly catalog: ServiceCatalog) {}

  @Get('structures/:structureId/services')
  @Allow('platform_admin', 'structure_admin')
  @ApiOperation({ summary: 'Tous les services d’une structure, retirés compris (actifs d’abord).' })
  list(@Auth() auth: AuthContext, @Param('structureId', new ParseUUIDPipe()) structureId: string): Promise<DirectoryService[]> {
    return this.catalog.listForStructure(auth, structureId);
  }

  @Post('structures/:structureId/services')
  @Allow('platform_admin', 'structure_admin')
  @ApiOperation({ summary: 'Ajoute un service à l’offre de la structure (il est vérifié à sa création).' })
  create(
    @Auth() auth: AuthContext,
    @Param('structureId', new ParseUUIDPipe()) structureId: string,
    @Body() dto: CreateServiceDto,
  ): Promise<DirectoryService> {
    return this.catalog.create(auth, structureId, dto);
  }

  @Patch('services/:id')
  @Allow('platform_admin', 'structure_admin')
  @ApiOperation({ summary: 'Modifie un service (partiel ; le modifier le vérifie ; « active: false » le retire de l’annuaire).' })
  update(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateServiceDto): Promise<DirectoryService> {
    return this.catalog.update(auth, id, dto);
  }

  @Post('services/:id/verify')
  @HttpCode(200)
  @Allow('platform_admin', 'structure_admin')
  @ApiOperation({ summary: 'Marque le service comme vérifié maintenant, par vous.' })
  verify(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<DirectoryService> {
    return this.catalog.verify(auth, id);
  }
}
