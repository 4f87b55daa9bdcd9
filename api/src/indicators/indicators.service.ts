import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  INDICATOR_SECTIONS,
  parseTerritoryCode,
  type ExportFormat,
  type IndicatorFilters,
  type IndicatorMeta,
  type IndicatorSection,
  type IndicatorTerritory,
} from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { lagTolerant } from '../database/read-replica';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden } from '../common/errors/domain-error';
import { CONTENT_TYPES, renderExport } from './indicator-export';
import { indicatorPeriod, periodProblem, weeksOf, type IndicatorPeriod } from './indicator-period';
import { barrierIndicators, compareNames, contactIndicators, continuityIndicators, flowIndicators, referralIndicators } from './indicator-reports';
import { resolveScope, SCOPE_MESSAGES, type ResolvedScope } from './indicator-scope';
import { filtersTable, sectionTables, type ExportTable, type FilterLabels, type SectionReport } from './indicator-tables';
import { epciName } from './indicator-territories';
import { barrierAggregate, contactAggregate, continuityAggregate, flowAggregate, referralAggregate, type IndicatorQuery } from './indicators.repository';

export interface IndicatorFile {
  content: Buffer;
  contentType: string;
  filename: string;
}

const MESSAGES = {
  territory: 'Territoire inconnu dans ce département : choisissez un EPCI ou une commune de la liste.',
  structure: 'Structure inconnue dans ce département.',
  site: 'Lieu d’accueil inconnu dans ce département.',
};

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);

/** A request checked and resolved: whose figures, on which period, with which SQL filters. */
interface Resolved {
  scope: ResolvedScope;
  period: IndicatorPeriod;
  query: IndicatorQuery;
  filters: IndicatorFilters;
  labels: FilterLabels;
}

/**
 * Indicators of the territorial diagnosis (definitions: docs/indicators.md; who sees what and small
 * counts: decision 0015). Each section is computed from exact aggregates read in one read-only
 * REPEATABLE READ transaction (the counts of a report, or of a whole workbook, are of one snapshot),
 * then disclosed exactly (a structure admin's own structure) or with small counts suppressed.
 * No person is ever read: only counts, structure and site names.
 */
@Injectable()
export class IndicatorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The territories the filters offer: the tenant's EPCIs, then the communes where it has structures or sites. */
  async territories(auth: AuthContext): Promise<IndicatorTerritory[]> {
    resolveScope(auth, {});
    const epcis: { epci_code: string }[] = await this.dataSource.query(
      `SELECT DISTINCT epci_code FROM commune WHERE tenant_id = $1 AND epci_code IS NOT NULL`,
      [auth.tenantId],
    );
    const communes: { insee_code: string; name: string }[] = await this.dataSource.query(
      `SELECT c.insee_code, c.name FROM commune c
        WHERE c.tenant_id = $1
          AND (EXISTS (SELECT 1 FROM structure s WHERE s.tenant_id = c.tenant_id AND s.commune_insee = c.insee_code)
               OR EXISTS (SELECT 1 FROM site si WHERE si.tenant_id = c.tenant_id AND si.commune_insee = c.insee_code))`,
      [auth.tenantId],
    );
    const byLabel = (a: IndicatorTerritory, b: IndicatorTerritory) => compareNames(a.label, b.label) || compareNames(a.code, b.code);
    return [
      ...epcis.map((e): IndicatorTerritory => ({ code: `epci:${e.epci_code}`, label: epciName(e.epci_code), kind: 'epci' })).sort(byLabel),
      ...communes.map((c): IndicatorTerritory => ({ code: `commune:${c.insee_code}`, label: c.name, kind: 'commune' })).sort(byLabel),
    ];
  }

  /** One section's indicators (what GET /api/indicators/<section> answers; the benchmark calls this). */
  async report<S extends IndicatorSection>(auth: AuthContext, section: S, filters: IndicatorFilters): Promise<SectionReport<S>> {
    return this.readOnly(async (manager) => {
      const resolved = await this.resolve(manager, auth, filters);
      return this.compute(manager, section, resolved);
    });
  }

  /** A section's tables, or every section's (`all`), as a CSV or XLSX file; audited (no personal data in the trail). */
  async export(auth: AuthContext, section: IndicatorSection | 'all', format: ExportFormat, filters: IndicatorFilters): Promise<IndicatorFile> {
    const sections: IndicatorSection[] = section === 'all' ? [...INDICATOR_SECTIONS] : [section];
    const { tables, resolved } = await this.readOnly(async (manager) => {
      const r = await this.resolve(manager, auth, filters);
      const out: ExportTable[] = [];
      let meta: IndicatorMeta | null = null;
      for (const s of sections) {
        const report = await this.compute(manager, s, r);
        meta ??= report;
        out.push(...sectionTables(s, report));
      }
      return { tables: [filtersTable(sections, meta as IndicatorMeta, r.labels), ...out], resolved: r };
    });
    const content = await renderExport(format, tables);
    await this.audit.record(auth, { action: 'indicators.export', entityType: 'indicators', entityId: section, reason: `${format}:${resolved.scope.scope}` });
    const name = section === 'all' ? 'indicateurs' : `indicateurs-${section}`;
    return { content, contentType: CONTENT_TYPES[format], filename: `${name}_${resolved.period.from}_${resolved.period.to}.${format}` };
  }

  private async compute<S extends IndicatorSection>(manager: EntityManager, section: S, r: Resolved): Promise<SectionReport<S>> {
    const meta: IndicatorMeta = { filters: r.filters, suppressed: r.scope.suppressed, generatedAt: new Date().toISOString() };
    const q = r.query;
    switch (section) {
      case 'contacts':
        return contactIndicators(await contactAggregate(manager, q), meta) as SectionReport<S>;
      case 'referrals':
        return referralIndicators(await referralAggregate(manager, q), meta) as SectionReport<S>;
      case 'flows':
        return flowIndicators(await flowAggregate(manager, q), meta) as SectionReport<S>;
      case 'barriers':
        return barrierIndicators(await barrierAggregate(manager, q, epciName), meta) as SectionReport<S>;
      case 'continuity':
        return continuityIndicators(await continuityAggregate(manager, q, weeksOf(r.period)), meta) as SectionReport<S>;
      default:
        throw new DomainError('NOT_FOUND', 'Section d’indicateurs inconnue.');
    }
  }

  /** Checks the filters (the DTO already did for HTTP callers; the benchmark calls the service directly) and resolves them. */
  private async resolve(manager: EntityManager, auth: AuthContext, filters: IndicatorFilters): Promise<Resolved> {
    const scope = resolveScope(auth, filters);
    const problem = periodProblem(filters.from, filters.to);
    if (problem) throw invalid(problem.field, problem.message);
    const period = indicatorPeriod(filters.from, filters.to);
    const [tenant]: { name: string }[] = await manager.query(`SELECT name FROM tenant WHERE id = $1`, [auth.tenantId]);
    const labels: FilterLabels = { tenantName: tenant?.name ?? '' };

    let communes: string[] | undefined;
    if (filters.territory !== undefined) {
      const territory = parseTerritoryCode(filters.territory);
      if (!territory) throw invalid('territory', MESSAGES.territory);
      const { kind, code } = territory;
      const rows: { insee_code: string; name: string }[] = await manager.query(
        `SELECT insee_code, name FROM commune WHERE tenant_id = $1 AND ${kind === 'epci' ? 'epci_code' : 'insee_code'} = $2`,
        [auth.tenantId, code],
      );
      if (rows.length === 0) throw invalid('territory', MESSAGES.territory);
      communes = rows.map((c) => c.insee_code);
      labels.territory = kind === 'epci' ? epciName(code) : rows[0].name;
    }
    if (scope.structureId !== undefined) {
      const [structure]: { name: string }[] = await manager.query(`SELECT name FROM structure WHERE tenant_id = $1 AND id = $2`, [auth.tenantId, scope.structureId]);
      if (!structure) throw invalid('structureId', MESSAGES.structure);
      labels.structure = structure.name;
    }
    if (filters.siteId !== undefined) {
      const [site]: { name: string; structure_id: string }[] = await manager.query(`SELECT name, structure_id FROM site WHERE tenant_id = $1 AND id = $2`, [
        auth.tenantId,
        filters.siteId,
      ]);
      if (!site) throw invalid('siteId', MESSAGES.site);
      // A site names its structure: a structure admin filters on their own sites only, as on their own structure.
      if (auth.role === 'structure_admin' && site.structure_id !== auth.structureId) throw forbidden(SCOPE_MESSAGES.otherStructure);
      labels.site = site.name;
    }
    const effective: IndicatorFilters = {
      from: filters.from,
      to: filters.to,
      ...(filters.territory !== undefined && { territory: filters.territory }),
      ...(scope.structureId !== undefined && { structureId: scope.structureId }),
      ...(filters.bouquet !== undefined && { bouquet: filters.bouquet }),
      ...(filters.channel !== undefined && { channel: filters.channel }),
      ...(filters.siteId !== undefined && { siteId: filters.siteId }),
      scope: scope.scope,
    };
    return {
      scope,
      period,
      filters: effective,
      labels,
      query: {
        tenantId: auth.tenantId,
        start: period.start,
        end: period.end,
        communes,
        structureId: scope.structureId,
        bouquet: filters.bouquet,
        channel: filters.channel,
        siteId: filters.siteId,
      },
    };
  }

  /**
   * One snapshot for every query of a report, read on a streaming replica when one is configured
   * (figures may lag the primary by the replay delay; the export's audit row is written afterwards, on
   * the primary); a larger work_mem for the sorts of the medians and the hash tables of the grouping
   * sets (a 3-month département scan stays in memory).
   */
  private readOnly<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return lagTolerant(
      this.dataSource,
      async (manager) => {
        await manager.query(`SET LOCAL work_mem = '64MB'`);
        return work(manager);
      },
      'REPEATABLE READ',
    );
  }
}
