import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Commune, Tenant } from '@passerelle/contracts';
import { Allow, ANY_ROLE } from '../common/auth/allow.decorator';
import { Auth, type AuthContext } from '../common/auth/auth-context';
import { CreateTenantDto, SearchCommunesQuery } from './dto/territory.dto';
import { TerritoryService } from './territory.service';

@ApiTags('territory')
@ApiCookieAuth()
@Controller()
export class TerritoryController {
  constructor(private readonly territory: TerritoryService) {}

  @Get('territory/communes')
  @Allow(...ANY_ROLE)
  @ApiOperation({ summary: 'Communes du département de l’agent (recherche par nom, code INSEE ou code postal).' })
  communes(@Auth() auth: AuthContext, @Query() query: SearchCommunesQuery): Promise<Commune[]> {
    return this.territory.searchCommunes(auth.tenantId, query.q, query.limit);
  }

  @Get('tenants')
  @Allow('platform_admin')
  @ApiOperation({ summary: 'Départements (tenants) de la plateforme.' })
  tenants(): Promise<Tenant[]> {
    return this.territory.listTenants();
  }

  @Post('tenants')
  @Allow('platform_admin')
  @ApiOperation({ summary: 'Ouvre un département : crée le tenant et charge ses communes (COG INSEE).' })
  createTenant(@Auth() auth: AuthContext, @Body() dto: CreateTenantDto): Promise<Tenant> {
    return this.territory.createTenant(auth, dto.code);
  }
}
