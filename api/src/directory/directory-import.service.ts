import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DirectoryImportIssue, DirectoryImportReport } from '@passerelle/contracts';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError } from '../common/errors/domain-error';
import {
  mapService,
  mapStructure,
  parseSourceFile,
  SourceFileError,
  type ServiceCandidate,
  type SourceRow,
  type StructureCandidate,
  type Territory,
} from './data-inclusion';
import { insertService, replaceServiceSites, updateService } from './directory.repository';

/** An imported (or linked) structure, as the services of the import see it. */
interface KnownStructure {
  id: string;
  name: string;
  /** Imported from data·inclusion: the import keeps it (and its sites) up to date. */
  owned: boolean;
  mainSiteId: string | null;
}

class RowRejected extends Error {}

/**
 * Imports data·inclusion structures and services into the tenant, idempotently: a data·inclusion id
 * already imported (`source_id`) updates its row. A structure already managed in Passerelle (same
 * SIRET, or same name) is linked to its data·inclusion id, not overwritten. Each row is written in its
 * own savepoint: a row that fails is reported and the others are kept.
 */
@Injectable()
export class DirectoryImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async import(auth: AuthContext, files: { structures?: string; services?: string }): Promise<DirectoryImportReport> {
    if (!files.structures && !files.services) {
      const message = 'Joignez le fichier des structures (« structures ») et/ou celui des services (« services ») au format data·inclusion, JSON ou CSV.';
      throw new DomainError('VALIDATION_FAILED', message, [{ field: 'structures', messages: [message] }]);
    }
    let structureRows: SourceRow[];
    let serviceRows: SourceRow[];
    try {
      structureRows = files.structures ? parseSourceFile(files.structures, 'structures') : [];
      serviceRows = files.services ? parseSourceFile(files.services, 'services') : [];
    } catch (error) {
      if (error instanceof SourceFileError) throw new DomainError('VALIDATION_FAILED', error.message);
      throw error;
    }
    const territory = await this.territory(auth.tenantId);
    const report: DirectoryImportReport = {
      structures: { created: 0, updated: 0, linked: 0 },
      services: { created: 0, updated: 0 },
      outsideTerritory: { structures: 0, services: 0 },
      rejected: [],
      warnings: [],
    };

    await this.dataSource.transaction(async (manager) => {
      const known = new Map<string, KnownStructure>();
      const seen = new Set<string>();
      for (const source of structureRows) {
        const mapped = mapStructure(source, territory);
        if (mapped.kind === 'outside') report.outsideTerritory.structures++;
        else if (mapped.kind === 'rejected') report.rejected.push(issue('structures', source, mapped.message));
        else if (seen.has(mapped.value.sourceId)) report.rejected.push(issue('structures', source, 'Identifiant déjà présent plus haut dans le fichier.'));
        else {
          seen.add(mapped.value.sourceId);
          const outcome = await this.inRow(manager, 'structures', source, report, () => this.saveStructure(manager, auth.tenantId, mapped.value));
          if (outcome) {
            report.structures[outcome.result]++;
            known.set(mapped.value.sourceId, outcome.structure);
            report.warnings.push(...mapped.warnings.map((m) => issue('structures', source, m)));
          }
        }
      }

      seen.clear();
      for (const source of serviceRows) {
        const mapped = mapService(source, territory);
        if (mapped.kind === 'outside') report.outsideTerritory.services++;
        else if (mapped.kind === 'rejected') report.rejected.push(issue('services', source, mapped.message));
        else if (seen.has(mapped.value.sourceId)) report.rejected.push(issue('services', source, 'Identifiant déjà présent plus haut dans le fichier.'));
        else {
          seen.add(mapped.value.sourceId);
          const result = await this.inRow(manager, 'services', source, report, async () => {
            const structure = known.get(mapped.value.structureSourceId) ?? (await this.findStructure(manager, auth.tenantId, mapped.value.structureSourceId));
            if (!structure) {
              throw new RowRejected(
                `Structure « ${mapped.value.structureSourceId} » inconnue : elle doit figurer dans le fichier des structures (ou avoir été importée).`,
              );
            }
            return this.saveService(manager, auth.tenantId, structure, mapped.value);
          });
          if (result) {
            report.services[result]++;
            report.warnings.push(...mapped.warnings.map((m) => issue('services', source, m)));
          }
        }
      }

      const reason = `str:${report.structures.created}+${report.structures.updated}~${report.structures.linked} srv:${report.services.created}+${report.services.updated} rej:${report.rejected.length}`;
      await this.audit.record(auth, { action: 'directory.import', entityType: 'directory', reason }, manager);
    });
    return report;
  }

  /** Runs one row in a savepoint: a rejection or a database refusal is reported, the import goes on. */
  private async inRow<T>(
    manager: EntityManager,
    file: 'structures' | 'services',
    source: SourceRow,
    report: DirectoryImportReport,
    write: () => Promise<T>,
  ): Promise<T | null> {
    await manager.query('SAVEPOINT import_row');
    try {
      const result = await write();
      await manager.query('RELEASE SAVEPOINT import_row');
      return result;
    } catch (error) {
      if (!(error instanceof RowRejected) && !(error instanceof QueryFailedError)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT import_row');
      const message =
        error instanceof RowRejected
          ? error.message
          : 'Ligne refusée par la base de données (valeur hors des limites ou en conflit avec une autre) : vérifiez ses champs.';
      report.rejected.push(issue(file, source, message));
      return null;
    }
  }

  private async territory(tenantId: string): Promise<Territory> {
    const [tenant]: { code: string }[] = await this.dataSource.query(`SELECT code FROM tenant WHERE id = $1`, [tenantId]);
    const communes: { insee_code: string; epci_code: string | null }[] = await this.dataSource.query(
      `SELECT insee_code, epci_code FROM commune WHERE tenant_id = $1`,
      [tenantId],
    );
    return { departement: tenant.code, communes: new Map(communes.map((c) => [c.insee_code, c.epci_code])) };
  }

  private async findStructure(manager: EntityManager, tenantId: string, sourceId: string): Promise<KnownStructure | null> {
    const rows: { id: string; name: string; source: string; site_id: string | null }[] = await manager.query(
      `SELECT s.id, s.name, s.source,
              (SELECT si.id FROM site si WHERE si.structure_id = s.id AND si.active AND si.commune_insee = s.commune_insee
                ORDER BY si.created_at LIMIT 1) AS site_id
         FROM structure s WHERE s.tenant_id = $1 AND s.source_id = $2
        ORDER BY (s.source = 'data_inclusion') DESC LIMIT 1`,
      [tenantId, sourceId],
    );
    const r = rows[0];
    return r ? { id: r.id, name: r.name, owned: r.source === 'data_inclusion', mainSiteId: r.site_id } : null;
  }

  private async saveStructure(
    manager: EntityManager,
    tenantId: string,
    c: StructureCandidate,
  ): Promise<{ result: 'created' | 'updated' | 'linked'; structure: KnownStructure }> {
    const existing = await this.findStructure(manager, tenantId, c.sourceId);
    if (existing && !existing.owned) return { result: 'linked', structure: existing };
    const nameTaken = async (exceptId: string | null) =>
      ((await manager.query(`SELECT 1 FROM structure WHERE tenant_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3)`, [
        tenantId,
        c.name,
        exceptId,
      ])) as unknown[]).length > 0;

    if (existing) {
      if (await nameTaken(existing.id)) throw new RowRejected(`Une autre structure du département s’appelle déjà « ${c.name} ».`);
      await manager.query(
        `UPDATE structure SET name = $3, type = $4, siret = $5, email = $6, phone = $7, commune_insee = $8, updated_at = now()
          WHERE tenant_id = $1 AND id = $2`,
        [tenantId, existing.id, c.name, c.type, c.siret, c.email, c.phone, c.communeInsee],
      );
      const mainSiteId = await this.upsertSite(manager, tenantId, existing.id, c.name, c.communeInsee, c.site);
      return { result: 'updated', structure: { ...existing, name: c.name, mainSiteId: mainSiteId ?? existing.mainSiteId } };
    }

    // Managed in Passerelle already (same SIRET, else same name): link it, do not overwrite it.
    const [match]: { id: string; name: string }[] = await manager.query(
      `SELECT id, name FROM structure
        WHERE tenant_id = $1 AND source_id IS NULL AND (($2::text IS NOT NULL AND siret = $2) OR lower(name) = lower($3))
        ORDER BY (siret IS NOT DISTINCT FROM $2) DESC LIMIT 1`,
      [tenantId, c.siret, c.name],
    );
    if (match) {
      await manager.query(`UPDATE structure SET source_id = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, match.id, c.sourceId]);
      const [site]: { id: string }[] = await manager.query(
        `SELECT si.id FROM site si JOIN structure s ON s.id = si.structure_id
          WHERE si.structure_id = $1 AND si.active AND si.commune_insee = s.commune_insee ORDER BY si.created_at LIMIT 1`,
        [match.id],
      );
      return { result: 'linked', structure: { id: match.id, name: match.name, owned: false, mainSiteId: site?.id ?? null } };
    }
    if (await nameTaken(null)) throw new RowRejected(`Une autre structure du département s’appelle déjà « ${c.name} ».`);
    const [created]: { id: string }[] = await manager.query(
      `INSERT INTO structure (tenant_id, name, type, siret, email, phone, commune_insee, source, source_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'data_inclusion', $8) RETURNING id`,
      [tenantId, c.name, c.type, c.siret, c.email, c.phone, c.communeInsee, c.sourceId],
    );
    const mainSiteId = await this.upsertSite(manager, tenantId, created.id, c.name, c.communeInsee, c.site);
    return { result: 'created', structure: { id: created.id, name: c.name, owned: true, mainSiteId } };
  }

  /**
   * The site of an imported structure at this commune and address (found again on a new import by the
   * same commune and address), with the given hours; null without a commune.
   */
  private async upsertSite(
    manager: EntityManager,
    tenantId: string,
    structureId: string,
    name: string,
    communeInsee: string | null,
    site: { address: string | null; openingHours?: string | null } | null,
  ): Promise<string | null> {
    if (!communeInsee || !site) return null;
    const [existing]: { id: string }[] = await manager.query(
      `SELECT id FROM site WHERE structure_id = $1 AND commune_insee = $2 AND coalesce(address, '') = coalesce($3, '') ORDER BY created_at LIMIT 1`,
      [structureId, communeInsee, site.address],
    );
    if (existing) {
      if (site.openingHours !== undefined) {
        await manager.query(`UPDATE site SET opening_hours = $2, active = true, updated_at = now() WHERE id = $1`, [existing.id, site.openingHours]);
      }
      return existing.id;
    }
    const [created]: { id: string }[] = await manager.query(
      `INSERT INTO site (tenant_id, structure_id, name, kind, address, commune_insee, opening_hours)
       VALUES ($1, $2, $3, 'fixed', $4, $5, $6) RETURNING id`,
      [tenantId, structureId, name.slice(0, 200), site.address, communeInsee, site.openingHours ?? null],
    );
    return created.id;
  }

  private async saveService(manager: EntityManager, tenantId: string, structure: KnownStructure, c: ServiceCandidate): Promise<'created' | 'updated'> {
    // Where it is delivered: its own address (a site of the structure: created for an imported one,
    // found for a linked one), else the structure's main site when it receives in person.
    let siteId: string | null = null;
    if (c.site) {
      siteId = structure.owned
        ? await this.upsertSite(manager, tenantId, structure.id, structure.name, c.site.communeInsee, { address: c.site.address })
        : ((
            (await manager.query(`SELECT id FROM site WHERE structure_id = $1 AND commune_insee = $2 AND active ORDER BY created_at LIMIT 1`, [
              structure.id,
              c.site.communeInsee,
            ])) as { id: string }[]
          )[0]?.id ?? null);
    } else if (c.columns.receptionModes.length === 0 || c.columns.receptionModes.includes('in_person')) {
      siteId = structure.mainSiteId;
    }
    const siteIds = siteId ? [siteId] : [];

    const [existing]: { id: string; structure_id: string }[] = await manager.query(
      `SELECT id, structure_id FROM service WHERE tenant_id = $1 AND source = 'data_inclusion' AND source_id = $2`,
      [tenantId, c.sourceId],
    );
    if (!existing) {
      const id = await insertService(manager, {
        tenantId,
        structureId: structure.id,
        verifiedBy: null,
        verifiedAt: c.verifiedAt ?? undefined,
        source: 'data_inclusion',
        sourceId: c.sourceId,
        ...c.columns,
      });
      await replaceServiceSites(manager, tenantId, id, structure.id, siteIds);
      return 'created';
    }
    if (existing.structure_id !== structure.id) await manager.query(`DELETE FROM service_site WHERE service_id = $1`, [existing.id]);
    await updateService(manager, tenantId, existing.id, { ...c.columns, structureId: structure.id }, { by: null, at: c.verifiedAt });
    await replaceServiceSites(manager, tenantId, existing.id, structure.id, siteIds);
    return 'updated';
  }
}

function issue(file: 'structures' | 'services', source: SourceRow, message: string): DirectoryImportIssue {
  const id = source.values['id'];
  return { file, row: source.row, id: typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : null, message };
}
