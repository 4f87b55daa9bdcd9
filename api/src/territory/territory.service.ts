import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Commune, Tenant } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError } from '../common/errors/domain-error';
import { communesOf, departementName } from './communes-source';
import { TenantEntity } from './tenant.entity';

@Injectable()
export class TerritoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Creates the tenant of a département and loads its communes from the official list.
   * Idempotent: an existing tenant is returned as is.
   */
  async ensureTenant(code: string, manager: EntityManager = this.dataSource.manager): Promise<TenantEntity> {
    const existing = await manager.findOneBy(TenantEntity, { code });
    if (existing) return existing;
    const name = departementName(code);
    if (!name) throw new DomainError('VALIDATION_FAILED', `Département inconnu : ${code}.`);
    const tenant = await manager.save(manager.create(TenantEntity, { code, name }));
    const communes = communesOf(code);
    await manager.query(
      `INSERT INTO commune (tenant_id, insee_code, name, postal_codes, epci_code, population)
       SELECT $1, c.insee_code, c.name, c.postal_codes, c.epci_code, c.population
         FROM jsonb_to_recordset($2::jsonb)
           AS c(insee_code text, name text, postal_codes text[], epci_code text, population int)`,
      [
        tenant.id,
        JSON.stringify(
          communes.map((c) => ({ insee_code: c.inseeCode, name: c.name, postal_codes: c.postalCodes, epci_code: c.epciCode, population: c.population })),
        ),
      ],
    );
    return tenant;
  }

  async createTenant(auth: AuthContext, code: string): Promise<Tenant> {
    const exists = await this.dataSource.getRepository(TenantEntity).existsBy({ code });
    if (exists) throw new DomainError('CONFLICT', `Le département ${code} existe déjà.`);
    const tenant = await this.dataSource.transaction(async (manager) => {
      const created = await this.ensureTenant(code, manager);
      await this.audit.record(auth, { action: 'tenant.create', entityType: 'tenant', entityId: created.id }, manager);
      return created;
    });
    return (await this.listTenants()).find((t) => t.id === tenant.id) as Tenant;
  }

  async listTenants(): Promise<Tenant[]> {
    const rows: { id: string; code: string; name: string; commune_count: string }[] = await this.dataSource.query(
      `SELECT t.id, t.code, t.name, count(c.insee_code) AS commune_count
         FROM tenant t LEFT JOIN commune c ON c.tenant_id = t.id
        GROUP BY t.id ORDER BY t.code`,
    );
    return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, communeCount: Number(r.commune_count) }));
  }

  /** Communes of the caller's tenant matching a name (accent/case-insensitive, typo-tolerant), INSEE or postal code. */
  async searchCommunes(tenantId: string, q: string | undefined, limit: number): Promise<Commune[]> {
    const term = (q ?? '').trim();
    const rows: { insee_code: string; name: string; postal_codes: string[]; population: number | null }[] = term
      ? await this.dataSource.query(
          `SELECT insee_code, name, postal_codes, population
             FROM commune
            WHERE tenant_id = $1
              AND (insee_code = $2 OR $2 = ANY(postal_codes)
                   OR immutable_unaccent(lower(name)) LIKE immutable_unaccent(lower($3)) || '%'
                   OR immutable_unaccent(lower(name)) % immutable_unaccent(lower($2)))
            ORDER BY (immutable_unaccent(lower(name)) LIKE immutable_unaccent(lower($3)) || '%') DESC,
                     similarity(immutable_unaccent(lower(name)), immutable_unaccent(lower($2))) DESC,
                     population DESC NULLS LAST
            LIMIT $4`,
          [tenantId, term, term.replace(/[%_\\]/g, '\\$&'), limit],
        )
      : await this.dataSource.query(
          `SELECT insee_code, name, postal_codes, population FROM commune WHERE tenant_id = $1
            ORDER BY population DESC NULLS LAST LIMIT $2`,
          [tenantId, limit],
        );
    return rows.map((r) => ({ inseeCode: r.insee_code, name: r.name, postalCodes: r.postal_codes, population: r.population }));
  }
}
