import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { StructureType } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import { DirectoryRepository } from './directory.repository';
import { toHsds, type HsdsExport } from './hsds';

/** The published directory of the tenant as Open Referral HSDS 3.0 JSON (no personal data: no verifier, no agent). */
@Injectable()
export class DirectoryExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: DirectoryRepository,
  ) {}

  async hsds(auth: AuthContext): Promise<HsdsExport> {
    const services = await this.repository.listPublished(auth.tenantId);
    const structureIds = [...new Set(services.map((s) => s.structure.id))];
    const [tenant]: { code: string; name: string }[] = await this.dataSource.query(`SELECT code, name FROM tenant WHERE id = $1`, [auth.tenantId]);
    const structures: { id: string; name: string; type: StructureType; siret: string | null; email: string | null; phone: string | null; commune_name: string | null }[] =
      await this.dataSource.query(
        `SELECT s.id, s.name, s.type, s.siret, s.email, s.phone, c.name AS commune_name
           FROM structure s LEFT JOIN commune c ON c.tenant_id = s.tenant_id AND c.insee_code = s.commune_insee
          WHERE s.tenant_id = $1 AND s.id = ANY ($2::uuid[])
          ORDER BY immutable_unaccent(lower(s.name)), s.id`,
        [auth.tenantId, structureIds],
      );
    const sites: {
      id: string;
      structure_id: string;
      name: string;
      kind: 'fixed' | 'itinerant';
      address: string | null;
      commune_insee: string;
      commune_name: string;
      postal_code: string | null;
      opening_hours: string | null;
      recurrence_label: string | null;
    }[] = await this.dataSource.query(
      `SELECT si.id, si.structure_id, si.name, si.kind, si.address, si.commune_insee, c.name AS commune_name,
              c.postal_codes[1] AS postal_code, si.opening_hours, si.recurrence_label
         FROM site si JOIN commune c ON c.tenant_id = si.tenant_id AND c.insee_code = si.commune_insee
        WHERE si.tenant_id = $1 AND si.active AND si.structure_id = ANY ($2::uuid[])
        ORDER BY immutable_unaccent(lower(si.name)), si.id`,
      [auth.tenantId, structureIds],
    );
    return toHsds({
      departement: { code: tenant.code, name: tenant.name },
      generatedAt: new Date(),
      structures: structures.map((s) => ({ id: s.id, name: s.name, type: s.type, siret: s.siret, email: s.email, phone: s.phone, communeName: s.commune_name })),
      services,
      sites: sites.map((si) => ({
        id: si.id,
        structureId: si.structure_id,
        name: si.name,
        kind: si.kind,
        address: si.address,
        communeInsee: si.commune_insee,
        communeName: si.commune_name,
        postalCode: si.postal_code,
        openingHours: si.opening_hours,
        recurrenceLabel: si.recurrence_label,
      })),
    });
  }
}
