import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DIRECTORY_SEARCH_DEFAULT_LIMIT, type DirectorySearchHit, type DirectoryService } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { lagTolerant } from '../database/read-replica';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, notFound } from '../common/errors/domain-error';
import { sentFields, StructuresService } from '../structures/structures.service';
import { DirectoryRepository, type ServiceColumns, type ServiceHead } from './directory.repository';
import type { DirectorySearchQueryDto } from './dto/directory-search.dto';
import type { CreateServiceDto, UpdateServiceDto } from './dto/service.dto';

/** At most this many words of a search are used (each one is an index probe). */
const MAX_SEARCH_WORDS = 8;

/**
 * The directory of partner services (annuaire): searched by every agent who orients people, managed by
 * each structure's admin (the platform admin may manage any structure of the tenant, as for sites).
 * Creating or editing a service verifies it; a service not verified for SERVICE_FRESHNESS_MONTHS is stale.
 */
@Injectable()
export class ServiceCatalog {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: DirectoryRepository,
    private readonly structures: StructuresService,
    private readonly audit: AuditService,
  ) {}

  /** Read on a streaming replica when one is configured: a service just created or edited may appear after the replay delay. */
  search(auth: AuthContext, query: DirectorySearchQueryDto): Promise<DirectorySearchHit[]> {
    const filter = {
      tenantId: auth.tenantId,
      bouquet: query.bouquet,
      commune: query.commune ?? undefined,
      words: (query.q ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS),
      excludeStructureId: query.excludeOwn ? auth.structureId : null,
      limit: query.limit ?? DIRECTORY_SEARCH_DEFAULT_LIMIT,
    };
    return lagTolerant(this.dataSource, (manager) => this.repository.search(filter, manager));
  }

  /** A published service (active, of an active structure); the managers of its structure also see it withdrawn. */
  async get(auth: AuthContext, id: string): Promise<DirectoryService> {
    const [service] = await this.repository.findByIds(auth.tenantId, [id]);
    if (!service) throw notFound('Service');
    if (!service.active || !(await this.structureActive(auth, service.structure.id))) {
      if (!this.mayManage(auth, service.structure.id)) throw notFound('Service');
    }
    return service;
  }

  async listForStructure(auth: AuthContext, structureId: string): Promise<DirectoryService[]> {
    await this.structures.requireStructure(auth, structureId);
    this.structures.assertCanManage(auth, structureId);
    return this.repository.listForStructure(auth.tenantId, structureId);
  }

  /** The caller's structure's active services to verify again (the admin home shows their number). */
  async stale(auth: AuthContext): Promise<DirectoryService[]> {
    if (!auth.structureId) return [];
    return this.repository.listStale(auth.tenantId, auth.structureId);
  }

  async create(auth: AuthContext, structureId: string, dto: CreateServiceDto): Promise<DirectoryService> {
    await this.structures.requireStructure(auth, structureId);
    this.structures.assertCanManage(auth, structureId);
    const zone = this.zoneOf(dto.zoneKind ?? 'departement', dto.zoneCommunes ?? []);
    await this.assertCommunesOfTenant(auth.tenantId, zone.zoneCommunes);
    const siteIds = dto.siteIds ?? [];
    await this.assertSitesOfStructure(auth.tenantId, structureId, siteIds);
    const columns: ServiceColumns = {
      name: dto.name,
      description: dto.description ?? null,
      bouquets: [...dto.bouquets].sort((a, b) => a - b),
      thematiques: dto.thematiques ?? [],
      publics: dto.publics ?? [],
      accessConditions: dto.accessConditions ?? null,
      cost: dto.cost ?? null,
      costDetails: dto.costDetails ?? null,
      receptionModes: dto.receptionModes ?? [],
      mobilizationModes: dto.mobilizationModes ?? [],
      mobilizationUrl: dto.mobilizationUrl ?? null,
      documentsToBring: dto.documentsToBring ?? [],
      openingHours: dto.openingHours ?? null,
      ...zone,
      contactPhone: dto.contactPhone ?? null,
      contactEmail: dto.contactEmail ?? null,
      website: dto.website ?? null,
      active: true,
    };
    const id = await this.dataSource.transaction(async (manager) => {
      const serviceId = await this.repository.insert(manager, { tenantId: auth.tenantId, structureId, verifiedBy: auth.userId, ...columns });
      await this.repository.replaceSites(manager, auth.tenantId, serviceId, structureId, siteIds);
      await this.audit.record(auth, { action: 'service.create', entityType: 'service', entityId: serviceId }, manager);
      return serviceId;
    });
    return this.load(auth, id);
  }

  /** Partial update. Changing what the service says verifies it; `active` alone (withdraw, republish) does not. */
  async update(auth: AuthContext, id: string, dto: UpdateServiceDto): Promise<DirectoryService> {
    const head = await this.requireManaged(auth, id);
    const { siteIds, zoneKind, zoneCommunes, bouquets, ...rest } = sentFields(dto);
    const changes: Partial<ServiceColumns> = { ...rest };
    if (bouquets) changes.bouquets = [...bouquets].sort((a, b) => a - b);
    if (zoneKind !== undefined || zoneCommunes !== undefined) {
      const zone = this.zoneOf(zoneKind ?? head.zoneKind, zoneCommunes ?? head.zoneCommunes);
      if (zoneCommunes) await this.assertCommunesOfTenant(auth.tenantId, zone.zoneCommunes);
      Object.assign(changes, zone);
    }
    if (siteIds) await this.assertSitesOfStructure(auth.tenantId, head.structureId, siteIds);
    const contentChanged = Object.keys(changes).some((key) => key !== 'active') || siteIds !== undefined;
    if (contentChanged || changes.active !== undefined) {
      await this.dataSource.transaction(async (manager) => {
        await this.repository.update(manager, auth.tenantId, id, changes, contentChanged ? auth.userId : undefined);
        if (siteIds) await this.repository.replaceSites(manager, auth.tenantId, id, head.structureId, siteIds);
        const reason = changes.active === undefined || changes.active === head.active ? undefined : changes.active ? 'activated' : 'deactivated';
        await this.audit.record(auth, { action: 'service.update', entityType: 'service', entityId: id, reason }, manager);
      });
    }
    return this.load(auth, id);
  }

  /** "Marquer comme vérifiée": the information was checked now, by the caller. */
  async verify(auth: AuthContext, id: string): Promise<DirectoryService> {
    await this.requireManaged(auth, id);
    await this.dataSource.transaction(async (manager) => {
      await this.repository.update(manager, auth.tenantId, id, {}, auth.userId);
      await this.audit.record(auth, { action: 'service.verify', entityType: 'service', entityId: id }, manager);
    });
    return this.load(auth, id);
  }

  private async requireManaged(auth: AuthContext, id: string): Promise<ServiceHead> {
    const head = await this.repository.head(auth.tenantId, id);
    if (!head) throw notFound('Service');
    this.structures.assertCanManage(auth, head.structureId);
    return head;
  }

  private async load(auth: AuthContext, id: string): Promise<DirectoryService> {
    const [service] = await this.repository.findByIds(auth.tenantId, [id]);
    if (!service) throw notFound('Service');
    return service;
  }

  private mayManage(auth: AuthContext, structureId: string): boolean {
    return auth.role === 'platform_admin' || (auth.role === 'structure_admin' && auth.structureId === structureId);
  }

  private async structureActive(auth: AuthContext, structureId: string): Promise<boolean> {
    return (await this.structures.requireStructure(auth, structureId)).active;
  }

  /** Whole département (no communes kept), or listed communes (at least one). */
  private zoneOf(kind: ServiceColumns['zoneKind'], communes: string[]): Pick<ServiceColumns, 'zoneKind' | 'zoneCommunes'> {
    if (kind === 'departement') return { zoneKind: kind, zoneCommunes: [] };
    if (communes.length === 0) {
      const message = 'Indiquez au moins une commune de la zone d’intervention, ou choisissez « tout le département ».';
      throw new DomainError('VALIDATION_FAILED', message, [{ field: 'zoneCommunes', messages: [message] }]);
    }
    return { zoneKind: kind, zoneCommunes: [...communes].sort() };
  }

  private async assertCommunesOfTenant(tenantId: string, codes: string[]): Promise<void> {
    const unknown = await this.repository.unknownCommunes(tenantId, codes);
    if (unknown.length > 0) {
      const message =
        unknown.length === 1
          ? `La commune de code INSEE ${unknown[0]} ne fait pas partie de votre département.`
          : `Les communes de codes INSEE ${unknown.join(', ')} ne font pas partie de votre département.`;
      throw new DomainError('VALIDATION_FAILED', message, [{ field: 'zoneCommunes', messages: [message] }]);
    }
  }

  private async assertSitesOfStructure(tenantId: string, structureId: string, siteIds: string[]): Promise<void> {
    const foreign = await this.repository.sitesNotOfStructure(tenantId, structureId, siteIds);
    if (foreign.length > 0) {
      const message = 'Un service n’est délivré que dans les lieux d’accueil ouverts de sa propre structure : retirez les lieux qui n’en font pas partie.';
      throw new DomainError('VALIDATION_FAILED', message, [{ field: 'siteIds', messages: [message] }]);
    }
  }
}
