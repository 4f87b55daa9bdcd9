import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  SERVICE_FRESHNESS_MONTHS,
  type DirectoryProximity,
  type DirectorySearchHit,
  type DirectoryService,
  type MobilizationMode,
  type NeedBouquetCode,
  type ReceptionMode,
  type ServiceCost,
  type ServiceInput,
  type ServiceSiteRef,
  type ServiceZoneKind,
  type StructureType,
} from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';

/** The columns of `service` a create or update writes: every field of the input, explicit (null or empty), and `active`. */
export type ServiceColumns = Required<Omit<ServiceInput, 'siteIds'>> & { active: boolean };

const COLUMN: Record<keyof ServiceColumns, string> = {
  name: 'name',
  description: 'description',
  bouquets: 'bouquets',
  thematiques: 'thematiques',
  publics: 'publics',
  accessConditions: 'access_conditions',
  cost: 'cost',
  costDetails: 'cost_details',
  receptionModes: 'reception_modes',
  mobilizationModes: 'mobilization_modes',
  mobilizationUrl: 'mobilization_url',
  documentsToBring: 'documents_to_bring',
  openingHours: 'opening_hours',
  zoneKind: 'zone_kind',
  zoneCommunes: 'zone_communes',
  contactPhone: 'contact_phone',
  contactEmail: 'contact_email',
  website: 'website',
  active: 'active',
};

/** What the rules need to know of a stored service before changing it. */
export interface ServiceHead {
  id: string;
  structureId: string;
  zoneKind: ServiceZoneKind;
  zoneCommunes: string[];
  active: boolean;
}

export interface DirectorySearchFilter {
  tenantId: string;
  bouquet?: NeedBouquetCode;
  commune?: string;
  /** Words (as typed); each must occur, normalised by search_normalize(), in the service's name or description. */
  words: string[];
  excludeStructureId: string | null;
  limit: number;
}

interface ServiceRow {
  id: string;
  structure_id: string;
  structure_name: string;
  structure_type: StructureType;
  structure_phone: string | null;
  structure_email: string | null;
  name: string;
  description: string | null;
  bouquets: NeedBouquetCode[];
  thematiques: string[];
  publics: string[];
  access_conditions: string | null;
  cost: ServiceCost | null;
  cost_details: string | null;
  reception_modes: ReceptionMode[];
  mobilization_modes: MobilizationMode[];
  mobilization_url: string | null;
  documents_to_bring: string[];
  opening_hours: string | null;
  zone_kind: ServiceZoneKind;
  zone_communes: { insee: string; name: string }[];
  sites: ServiceSiteRef[];
  contact_phone: string | null;
  contact_email: string | null;
  website: string | null;
  active: boolean;
  last_verified_at: Date;
  last_verified_by: string | null;
  stale: boolean;
  source: 'passerelle' | 'data_inclusion';
}

/**
 * A service with its structure, its active sites (and their communes), the names of its zone's
 * communes, who verified it last, and whether it is stale. `$1` is the tenant, `$2` the freshness
 * period in months; callers add their conditions on alias `s`.
 */
const SERVICE_SELECT = `
  SELECT s.id, s.structure_id, st.name AS structure_name, st.type AS structure_type, st.phone AS structure_phone,
         st.email AS structure_email, s.name, s.description, s.bouquets, s.thematiques, s.publics, s.access_conditions,
         s.cost, s.cost_details, s.reception_modes, s.mobilization_modes, s.mobilization_url, s.documents_to_bring,
         s.opening_hours, s.zone_kind, s.contact_phone, s.contact_email, s.website, s.active, s.last_verified_at,
         s.source, s.last_verified_at < now() - make_interval(months => $2::int) AS stale,
         nullif(btrim(concat_ws(' ', u.first_name, u.last_name)), '') AS last_verified_by,
         coalesce((SELECT json_agg(json_build_object('insee', c.insee_code, 'name', c.name) ORDER BY immutable_unaccent(lower(c.name)))
                     FROM commune c WHERE c.tenant_id = s.tenant_id AND c.insee_code = ANY (s.zone_communes)), '[]') AS zone_communes,
         coalesce((SELECT json_agg(json_build_object('id', si.id, 'name', si.name, 'kind', si.kind, 'communeInsee', si.commune_insee,
                                                     'communeName', c.name) ORDER BY immutable_unaccent(lower(si.name)), si.id)
                     FROM service_site ss
                     JOIN site si ON si.id = ss.site_id AND si.active
                     JOIN commune c ON c.tenant_id = si.tenant_id AND c.insee_code = si.commune_insee
                    WHERE ss.service_id = s.id), '[]') AS sites
    FROM service s
    JOIN structure st ON st.id = s.structure_id
    LEFT JOIN app_user u ON u.id = s.last_verified_by_user_id
   WHERE s.tenant_id = $1`;

/** The directory's SQL: services read in the `DirectoryService` shape, the search, and the writes. */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Services by id (in no particular order), whatever their status. */
  async findByIds(tenantId: string, ids: string[], manager: EntityManager = this.dataSource.manager): Promise<DirectoryService[]> {
    if (ids.length === 0) return [];
    const rows: ServiceRow[] = await manager.query(`${SERVICE_SELECT} AND s.id = ANY ($3::uuid[])`, [tenantId, SERVICE_FRESHNESS_MONTHS, ids]);
    return rows.map(toService);
  }

  /** Every service of a structure, active first, then by name. */
  async listForStructure(tenantId: string, structureId: string): Promise<DirectoryService[]> {
    const rows: ServiceRow[] = await this.dataSource.query(
      `${SERVICE_SELECT} AND s.structure_id = $3 ORDER BY s.active DESC, immutable_unaccent(lower(s.name)), s.id`,
      [tenantId, SERVICE_FRESHNESS_MONTHS, structureId],
    );
    return rows.map(toService);
  }

  /** The published directory: active services of active structures, by structure then name (the HSDS export). */
  async listPublished(tenantId: string): Promise<DirectoryService[]> {
    const rows: ServiceRow[] = await this.dataSource.query(
      `${SERVICE_SELECT} AND s.active AND st.active
        ORDER BY immutable_unaccent(lower(st.name)), st.id, immutable_unaccent(lower(s.name)), s.id`,
      [tenantId, SERVICE_FRESHNESS_MONTHS],
    );
    return rows.map(toService);
  }

  /** Active services of a structure not verified for the freshness period, oldest verification first. */
  async listStale(tenantId: string, structureId: string): Promise<DirectoryService[]> {
    const rows: ServiceRow[] = await this.dataSource.query(
      `${SERVICE_SELECT} AND s.structure_id = $3 AND s.active
          AND s.last_verified_at < now() - make_interval(months => $2::int)
        ORDER BY s.last_verified_at, s.id`,
      [tenantId, SERVICE_FRESHNESS_MONTHS, structureId],
    );
    return rows.map(toService);
  }

  /**
   * "Who can help with housing near Embrun?": active services of active structures, for the need,
   * open to the commune (whole département, or the commune listed in the zone), containing every word.
   * Ranked by proximity (a site in the commune, in its EPCI, elsewhere), fresh before stale, then name.
   */
  async search(filter: DirectorySearchFilter, manager: EntityManager = this.dataSource.manager): Promise<DirectorySearchHit[]> {
    const ranked = await this.rankedIds(filter, manager);
    const services = new Map((await this.findByIds(filter.tenantId, ranked.map((r) => r.id), manager)).map((s) => [s.id, s]));
    return ranked.flatMap((r) => {
      const service = services.get(r.id);
      return service ? [{ ...service, proximity: r.proximity }] : [];
    });
  }

  /** The search proper: ids and proximity, in rank order. */
  async rankedIds(filter: DirectorySearchFilter, manager: EntityManager = this.dataSource.manager): Promise<{ id: string; proximity: DirectoryProximity }[]> {
    const { sql, params } = searchSql(filter);
    return manager.query(sql, params);
  }

  async head(tenantId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<ServiceHead | null> {
    const rows: { id: string; structure_id: string; zone_kind: ServiceZoneKind; zone_communes: string[]; active: boolean }[] = await manager.query(
      `SELECT id, structure_id, zone_kind, zone_communes, active FROM service WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    const r = rows[0];
    return r ? { id: r.id, structureId: r.structure_id, zoneKind: r.zone_kind, zoneCommunes: r.zone_communes, active: r.active } : null;
  }

  /** The codes of `codes` that are not communes of the tenant. */
  async unknownCommunes(tenantId: string, codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows: { code: string }[] = await this.dataSource.query(
      `SELECT wanted.code FROM unnest($2::text[]) AS wanted(code)
        WHERE NOT EXISTS (SELECT 1 FROM commune c WHERE c.tenant_id = $1 AND c.insee_code = wanted.code)
        ORDER BY wanted.code`,
      [tenantId, codes],
    );
    return rows.map((r) => r.code);
  }

  /** The ids of `siteIds` that are not active sites of the structure. */
  async sitesNotOfStructure(tenantId: string, structureId: string, siteIds: string[]): Promise<string[]> {
    if (siteIds.length === 0) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT wanted.id FROM unnest($3::uuid[]) AS wanted(id)
        WHERE NOT EXISTS (SELECT 1 FROM site si WHERE si.tenant_id = $1 AND si.structure_id = $2 AND si.id = wanted.id AND si.active)`,
      [tenantId, structureId, siteIds],
    );
    return rows.map((r) => r.id);
  }

  /** Inserts a service, verified now by `verifiedBy`; returns its id. */
  insert(manager: EntityManager, row: NewService): Promise<string> {
    return insertService(manager, row);
  }

  /** Writes the given columns; `verifiedBy` (when not undefined) also marks the service verified now. */
  update(manager: EntityManager, tenantId: string, id: string, changes: Partial<ServiceColumns>, verifiedBy?: string | null): Promise<void> {
    return updateService(manager, tenantId, id, changes, verifiedBy === undefined ? undefined : { by: verifiedBy });
  }

  /** Replaces the sites where the service is delivered. */
  replaceSites(manager: EntityManager, tenantId: string, serviceId: string, structureId: string, siteIds: string[]): Promise<void> {
    return replaceServiceSites(manager, tenantId, serviceId, structureId, siteIds);
  }
}

export type NewService = {
  tenantId: string;
  structureId: string;
  verifiedBy: string | null;
  source?: 'passerelle' | 'data_inclusion';
  sourceId?: string | null;
  /** Default: now() of the database. */
  verifiedAt?: Date;
} & ServiceColumns;

/** Inserts a service (verified at `verifiedAt`, default now, by `verifiedBy`); returns its id. */
export async function insertService(manager: EntityManager, row: NewService): Promise<string> {
  const fields = Object.keys(COLUMN) as (keyof ServiceColumns)[];
  const columns = ['tenant_id', 'structure_id', 'last_verified_by_user_id', 'last_verified_at', 'source', 'source_id', ...fields.map((f) => COLUMN[f])];
  const values: unknown[] = [
    row.tenantId,
    row.structureId,
    row.verifiedBy,
    row.verifiedAt ?? null,
    row.source ?? 'passerelle',
    row.sourceId ?? null,
    ...fields.map((f) => row[f]),
  ];
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO service (${columns.join(', ')})
     VALUES (${values.map((_, i) => (i === 3 ? `coalesce($4::timestamptz, now())` : `$${i + 1}`)).join(', ')}) RETURNING id`,
    values,
  );
  return rows[0].id;
}

/**
 * Writes the given columns (and the structure, for an import that moved the service); `verification`
 * also marks it verified, at `at` (default now() of the database) by `by`.
 */
export async function updateService(
  manager: EntityManager,
  tenantId: string,
  id: string,
  changes: Partial<ServiceColumns> & { structureId?: string },
  verification?: { by: string | null; at?: Date | null },
): Promise<void> {
  const params: unknown[] = [tenantId, id];
  const set = (column: string, value: unknown, cast = '') => {
    params.push(value);
    return `${column} = $${params.length}${cast}`;
  };
  const { structureId, ...columns } = changes;
  const sets = (Object.keys(columns) as (keyof ServiceColumns)[]).map((field) => set(COLUMN[field], columns[field]));
  if (structureId) sets.push(set('structure_id', structureId));
  if (verification) {
    params.push(verification.at ?? null);
    sets.push(`last_verified_at = coalesce($${params.length}::timestamptz, now())`, set('last_verified_by_user_id', verification.by));
  }
  if (sets.length === 0) return;
  await manager.query(`UPDATE service SET ${sets.join(', ')}, updated_at = now() WHERE tenant_id = $1 AND id = $2`, params);
}

/** Replaces the sites where a service is delivered (the composite foreign keys refuse another structure's site). */
export async function replaceServiceSites(manager: EntityManager, tenantId: string, serviceId: string, structureId: string, siteIds: string[]): Promise<void> {
  await manager.query(`DELETE FROM service_site WHERE service_id = $1 AND NOT (site_id = ANY ($2::uuid[]))`, [serviceId, siteIds]);
  if (siteIds.length === 0) return;
  await manager.query(
    `INSERT INTO service_site (tenant_id, service_id, site_id, structure_id)
     SELECT $1, $2, site_id, $3 FROM unnest($4::uuid[]) AS site_id
     ON CONFLICT (service_id, site_id) DO NOTHING`,
    [tenantId, serviceId, structureId, siteIds],
  );
}

/**
 * The ranking query. The need is the GIN index `service_bouquets_idx` (partial: active services), the
 * words the trigram index `service_search_trgm`, the zone `service_zone_communes_idx`; the planner picks
 * among them by selectivity (see docs/architecture.md, "Directory"). Proximity comes from the sites of
 * the commune and of its EPCI (`site_commune_idx`, then `service_site_site_idx`), joined to the hits.
 */
export function searchSql(filter: DirectorySearchFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [filter.tenantId, SERVICE_FRESHNESS_MONTHS];
  const param = (value: unknown, cast = '') => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const where = ['s.tenant_id = $1', 's.active', 'st.active'];
  if (filter.bouquet !== undefined) where.push(`s.bouquets @> ARRAY[${param(filter.bouquet, '::smallint')}]`);
  if (filter.excludeStructureId) where.push(`s.structure_id <> ${param(filter.excludeStructureId, '::uuid')}`);
  for (const word of filter.words) where.push(`s.search_text LIKE '%' || search_normalize(${param(word, '::text')}) || '%'`);

  // Proximity rank: 0 = a site of the service in the commune, 1 = in another commune of its EPCI,
  // 2 = open to the commune but delivered further away. Computed once for the sites near the commune
  // (`near`), not per hit. Without a commune it is not computed: every hit is 'elsewhere'.
  let near = '';
  let nearJoin = '';
  let rank = 'NULL::int';
  if (filter.commune) {
    const commune = param(filter.commune, '::text');
    where.push(`(s.zone_kind = 'departement' OR s.zone_communes @> ARRAY[${commune}]::varchar(5)[])`);
    near = `WITH target AS (
        SELECT insee_code, epci_code FROM commune WHERE tenant_id = $1 AND insee_code = ${commune}
      ), near AS (
        SELECT ss.service_id, min(CASE WHEN si.commune_insee = target.insee_code THEN 0 ELSE 1 END) AS rank
          FROM target
          JOIN commune sc ON sc.tenant_id = $1 AND (sc.insee_code = target.insee_code OR sc.epci_code = target.epci_code)
          JOIN site si ON si.tenant_id = $1 AND si.commune_insee = sc.insee_code AND si.active
          JOIN service_site ss ON ss.site_id = si.id
         GROUP BY ss.service_id
      )`;
    nearJoin = 'LEFT JOIN near ON near.service_id = s.id';
    rank = 'coalesce(near.rank, 2)';
  }

  const sql = `
    ${near}
    SELECT s.id, CASE ${rank} WHEN 0 THEN 'commune' WHEN 1 THEN 'epci' WHEN 2 THEN 'departement' ELSE 'elsewhere' END AS proximity
      FROM service s
      JOIN structure st ON st.id = s.structure_id
      ${nearJoin}
     WHERE ${where.join('\n       AND ')}
     ORDER BY ${rank} NULLS LAST, s.last_verified_at < now() - make_interval(months => $2::int), immutable_unaccent(lower(s.name)), s.id
     LIMIT ${param(filter.limit, '::int')}`;
  return { sql, params };
}

function toService(r: ServiceRow): DirectoryService {
  return {
    id: r.id,
    structure: { id: r.structure_id, name: r.structure_name, type: r.structure_type, phone: r.structure_phone, email: r.structure_email },
    name: r.name,
    description: r.description,
    bouquets: r.bouquets.map(Number) as NeedBouquetCode[],
    thematiques: r.thematiques,
    publics: r.publics,
    accessConditions: r.access_conditions,
    cost: r.cost,
    costDetails: r.cost_details,
    receptionModes: r.reception_modes,
    mobilizationModes: r.mobilization_modes,
    mobilizationUrl: r.mobilization_url,
    documentsToBring: r.documents_to_bring,
    openingHours: r.opening_hours,
    zone: { kind: r.zone_kind, communes: r.zone_kind === 'communes' ? r.zone_communes : [] },
    sites: r.sites,
    contactPhone: r.contact_phone,
    contactEmail: r.contact_email,
    website: r.website,
    active: r.active,
    lastVerifiedAt: r.last_verified_at.toISOString(),
    lastVerifiedBy: r.last_verified_by,
    stale: r.stale,
    source: r.source,
  };
}
