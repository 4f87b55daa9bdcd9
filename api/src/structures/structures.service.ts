import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Structure, StructureType } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error';
import type { CreateStructureDto, ListStructuresQuery, UpdateStructureDto } from './dto/structure.dto';
import { StructureEntity } from './structure.entity';

interface StructureRow {
  id: string;
  name: string;
  type: StructureType;
  siret: string | null;
  email: string | null;
  phone: string | null;
  commune_insee: string | null;
  commune_name: string | null;
  active: boolean;
  site_count: number;
}

/** Structures with their commune's name and their number of active sites. */
const STRUCTURE_SELECT = `
  SELECT s.id, s.name, s.type, s.siret, s.email, s.phone, s.commune_insee, c.name AS commune_name, s.active,
         (SELECT count(*) FROM site si WHERE si.structure_id = s.id AND si.active)::int AS site_count
    FROM structure s
    LEFT JOIN commune c ON c.tenant_id = s.tenant_id AND c.insee_code = s.commune_insee`;

/** The fields of a partial-update DTO that were sent (undefined = unchanged; null = cleared). */
export function sentFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Structures of the caller's tenant. Every signed-in agent sees the tenant's structures (the
 * directory of partners); only the platform admin creates them, and a structure admin edits their own.
 */
@Injectable()
export class StructuresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(auth: AuthContext, query: ListStructuresQuery): Promise<Structure[]> {
    const term = query.q ? query.q.replace(/[%_\\]/g, '\\$&') : null;
    const rows: StructureRow[] = await this.dataSource.query(
      `${STRUCTURE_SELECT}
        WHERE s.tenant_id = $1
          AND ($2::text IS NULL OR s.type = $2)
          AND ($3::text IS NULL
               OR immutable_unaccent(lower(s.name)) LIKE '%' || immutable_unaccent(lower($3)) || '%'
               OR immutable_unaccent(lower(c.name)) LIKE '%' || immutable_unaccent(lower($3)) || '%')
        ORDER BY immutable_unaccent(lower(s.name)), s.id`,
      [auth.tenantId, query.type ?? null, term],
    );
    return rows.map(toStructure);
  }

  async get(auth: AuthContext, id: string): Promise<Structure> {
    const rows: StructureRow[] = await this.dataSource.query(`${STRUCTURE_SELECT} WHERE s.tenant_id = $1 AND s.id = $2`, [auth.tenantId, id]);
    if (!rows[0]) throw notFound('Structure');
    return toStructure(rows[0]);
  }

  async create(auth: AuthContext, dto: CreateStructureDto): Promise<Structure> {
    if (dto.communeInsee) await this.assertCommuneOfTenant(auth.tenantId, dto.communeInsee);
    await this.assertNameFree(auth.tenantId, dto.name);
    const id = await this.dataSource.transaction(async (manager) => {
      const structure = await manager.save(
        manager.create(StructureEntity, {
          tenantId: auth.tenantId,
          name: dto.name,
          type: dto.type,
          siret: dto.siret ?? null,
          email: dto.email ?? null,
          phone: dto.phone ?? null,
          communeInsee: dto.communeInsee ?? null,
        }),
      );
      await this.audit.record(auth, { action: 'structure.create', entityType: 'structure', entityId: structure.id }, manager);
      return structure.id;
    });
    return this.get(auth, id);
  }

  async update(auth: AuthContext, id: string, dto: UpdateStructureDto): Promise<Structure> {
    await this.requireStructure(auth, id);
    this.assertCanManage(auth, id);
    const changes = sentFields(dto);
    if (changes.active !== undefined && auth.role !== 'platform_admin') {
      throw forbidden('Seul l’administrateur de la plateforme peut activer ou désactiver une structure.');
    }
    if (changes.communeInsee) await this.assertCommuneOfTenant(auth.tenantId, changes.communeInsee);
    if (changes.name !== undefined) await this.assertNameFree(auth.tenantId, changes.name, id);
    if (Object.keys(changes).length > 0) {
      await this.dataSource.transaction(async (manager) => {
        await manager.update(StructureEntity, { id, tenantId: auth.tenantId }, changes);
        const reason = changes.active === undefined ? undefined : changes.active ? 'activated' : 'deactivated';
        await this.audit.record(auth, { action: 'structure.update', entityType: 'structure', entityId: id, reason }, manager);
      });
    }
    return this.get(auth, id);
  }

  /** The structure if it belongs to the caller's tenant; 404 otherwise (existence elsewhere is not revealed). */
  async requireStructure(auth: AuthContext, id: string, manager: EntityManager = this.dataSource.manager): Promise<StructureEntity> {
    const structure = await manager.findOneBy(StructureEntity, { id, tenantId: auth.tenantId });
    if (!structure) throw notFound('Structure');
    return structure;
  }

  /** A platform admin manages every structure of the tenant; other roles only their own. */
  assertCanManage(auth: AuthContext, structureId: string): void {
    if (auth.role !== 'platform_admin' && auth.structureId !== structureId) {
      throw forbidden('Vous ne pouvez administrer que votre propre structure.');
    }
  }

  /** 400 with a field detail when the commune is not one of the tenant's. */
  async assertCommuneOfTenant(tenantId: string, inseeCode: string, field = 'communeInsee'): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM commune WHERE tenant_id = $1 AND insee_code = $2`, [tenantId, inseeCode]);
    if (rows.length === 0) {
      const message = `La commune de code INSEE ${inseeCode} ne fait pas partie de votre département.`;
      throw new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);
    }
  }

  private async assertNameFree(tenantId: string, name: string, exceptId?: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM structure WHERE tenant_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3)`,
      [tenantId, name, exceptId ?? null],
    );
    if (rows.length > 0) throw new DomainError('CONFLICT', `Une structure nommée « ${name} » existe déjà dans votre département.`);
  }
}

function toStructure(r: StructureRow): Structure {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    siret: r.siret,
    email: r.email,
    phone: r.phone,
    communeInsee: r.commune_insee,
    communeName: r.commune_name,
    active: r.active,
    siteCount: r.site_count,
  };
}
