import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Site, SiteKind } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, notFound } from '../common/errors/domain-error';
import type { CreateSiteDto, UpdateSiteDto } from './dto/site.dto';
import { SiteEntity } from './site.entity';
import { sentFields, StructuresService } from './structures.service';

interface SiteRow {
  id: string;
  structure_id: string;
  name: string;
  kind: SiteKind;
  address: string | null;
  commune_insee: string;
  commune_name: string;
  opening_hours: string | null;
  recurrence: string | null;
  recurrence_label: string | null;
  active: boolean;
}

const SITE_SELECT = `
  SELECT si.id, si.structure_id, si.name, si.kind, si.address, si.commune_insee, c.name AS commune_name,
         si.opening_hours, si.recurrence, si.recurrence_label, si.active
    FROM site si
    JOIN commune c ON c.tenant_id = si.tenant_id AND c.insee_code = si.commune_insee`;

/** Reception sites of a structure: fixed places, and itinerant permanences with their recurrence. */
@Injectable()
export class SitesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly structures: StructuresService,
    private readonly audit: AuditService,
  ) {}

  async listForStructure(auth: AuthContext, structureId: string): Promise<Site[]> {
    await this.structures.requireStructure(auth, structureId);
    const rows: SiteRow[] = await this.dataSource.query(
      `${SITE_SELECT}
        WHERE si.tenant_id = $1 AND si.structure_id = $2
        ORDER BY si.active DESC, immutable_unaccent(lower(si.name)), si.id`,
      [auth.tenantId, structureId],
    );
    return rows.map(toSite);
  }

  async create(auth: AuthContext, structureId: string, dto: CreateSiteDto): Promise<Site> {
    await this.structures.requireStructure(auth, structureId);
    this.structures.assertCanManage(auth, structureId);
    await this.structures.assertCommuneOfTenant(auth.tenantId, dto.communeInsee);
    assertRecurrenceIfItinerant(dto.kind, dto.recurrence ?? null);
    const id = await this.dataSource.transaction(async (manager) => {
      const site = await manager.save(
        manager.create(SiteEntity, {
          tenantId: auth.tenantId,
          structureId,
          name: dto.name,
          kind: dto.kind,
          address: dto.address ?? null,
          communeInsee: dto.communeInsee,
          openingHours: dto.openingHours ?? null,
          recurrence: dto.recurrence ?? null,
          recurrenceLabel: dto.recurrenceLabel ?? null,
        }),
      );
      await this.audit.record(auth, { action: 'site.create', entityType: 'site', entityId: site.id }, manager);
      return site.id;
    });
    return this.get(auth, id);
  }

  async update(auth: AuthContext, id: string, dto: UpdateSiteDto): Promise<Site> {
    const site = await this.dataSource.manager.findOneBy(SiteEntity, { id, tenantId: auth.tenantId });
    if (!site) throw notFound('Lieu d’accueil');
    this.structures.assertCanManage(auth, site.structureId);
    const changes = sentFields(dto);
    if (changes.communeInsee !== undefined) await this.structures.assertCommuneOfTenant(auth.tenantId, changes.communeInsee);
    const merged = { ...site, ...changes };
    assertRecurrenceIfItinerant(merged.kind, merged.recurrence);
    if (Object.keys(changes).length > 0) {
      await this.dataSource.transaction(async (manager) => {
        await manager.update(SiteEntity, { id, tenantId: auth.tenantId }, changes);
        const reason = changes.active === undefined ? undefined : changes.active ? 'activated' : 'deactivated';
        await this.audit.record(auth, { action: 'site.update', entityType: 'site', entityId: id, reason }, manager);
      });
    }
    return this.get(auth, id);
  }

  private async get(auth: AuthContext, id: string): Promise<Site> {
    const rows: SiteRow[] = await this.dataSource.query(`${SITE_SELECT} WHERE si.tenant_id = $1 AND si.id = $2`, [auth.tenantId, id]);
    if (!rows[0]) throw notFound('Lieu d’accueil');
    return toSite(rows[0]);
  }
}

/** An itinerant permanence says when it comes (the database has the same CHECK). */
function assertRecurrenceIfItinerant(kind: SiteKind, recurrence: string | null): void {
  if (kind === 'itinerant' && !recurrence) {
    const message = 'Une permanence itinérante doit indiquer sa récurrence, par ex. « FREQ=WEEKLY;BYDAY=TU » (chaque mardi).';
    throw new DomainError('VALIDATION_FAILED', message, [{ field: 'recurrence', messages: [message] }]);
  }
}

function toSite(r: SiteRow): Site {
  return {
    id: r.id,
    structureId: r.structure_id,
    name: r.name,
    kind: r.kind,
    address: r.address,
    communeInsee: r.commune_insee,
    communeName: r.commune_name,
    openingHours: r.opening_hours,
    recurrence: r.recurrence,
    recurrenceLabel: r.recurrence_label,
    active: r.active,
  };
}
