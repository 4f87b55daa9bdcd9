import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Site, Structure } from '@passerelle/contracts';
import { Allow, ANY_ROLE } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { CreateSiteDto } from './dto/site.dto';
import { CreateStructureDto, ListStructuresQuery, UpdateStructureDto } from './dto/structure.dto';
import { SitesService } from './sites.service';
import { StructuresService } from './structures.service';

@ApiTags('structures')
@ApiCookieAuth()
@Controller('structures')
export class StructuresController {
  constructor(
    private readonly structures: StructuresService,
    private readonly sites: SitesService,
  ) {}

  @Get()
  @Allow(...ANY_ROLE)
  @ApiOperation({ summary: 'Structures du département, triées par nom (filtres : type, recherche sur le nom ou la commune).' })
  list(@Auth() auth: AuthContext, @Query() query: ListStructuresQuery): Promise<Structure[]> {
    return this.structures.list(auth, query);
  }

  @Get(':id')
  @Allow(...ANY_ROLE)
  @ApiOperation({ summary: 'Une structure du département.' })
  get(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<Structure> {
    return this.structures.get(auth, id);
  }

  @Post()
  @Allow('platform_admin')
  @ApiOperation({ summary: 'Crée une structure (SIRET, commune du département).' })
  create(@Auth() auth: AuthContext, @Body() dto: CreateStructureDto): Promise<Structure> {
    return this.structures.create(auth, dto);
  }

  @Patch(':id')
  @Allow('platform_admin', 'structure_admin')
  @ApiOperation({ summary: 'Modifie une structure (l’administrateur de structure : la sienne, sans pouvoir la désactiver).' })
  update(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateStructureDto): Promise<Structure> {
    return this.structures.update(auth, id, dto);
  }

  @Get(':id/sites')
  @Allow(...ANY_ROLE)
  @ApiOperation({ summary: 'Lieux d’accueil d’une structure (actifs d’abord).' })
  sitesOf(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string): Promise<Site[]> {
    return this.sites.listForStructure(auth, id);
  }

  @Post(':id/sites')
  @Allow('platform_admin', 'structure_admin')
  @ApiOperation({ summary: 'Ajoute un lieu d’accueil (fixe, ou permanence itinérante avec sa récurrence).' })
  createSite(@Auth() auth: AuthContext, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: CreateSiteDto): Promise<Site> {
    return this.sites.create(auth, id, dto);
  }
}
