import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { AuthContext } from '../../common/auth/auth-context';
import { personDisplayName } from '../../contacts/contact-rules';
import { PersonAccessService } from '../../persons/person-access.service';
import { ACCESS_LOG_MAX, AccessOverridesService } from '../access-overrides.service';
import { ConsentsService } from '../consents.service';
import { SubjectAccessService } from '../subject-access.service';
import { buildAccessLogPdf } from './access-log-pdf';
import { buildNoticePdf } from './notice-pdf';
import { buildSubjectAccessPdf } from './subject-access-pdf';

/** The audit action of printing the notice (and the consent form) for a person. */
export const NOTICE_PRINT_ACTION = 'consent.notice.print';

/**
 * The printable documents of a person's file: the information notice and consent form, the access
 * log and the subject-access export. Reads what they show under the same access policy as the JSON
 * routes, audits, then lays the PDF out with the pure builders.
 */
@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly consents: ConsentsService,
    private readonly overrides: AccessOverridesService,
    private readonly subjectAccess: SubjectAccessService,
    private readonly audit: AuditService,
  ) {}

  /** The notice with the person's active consents (a blank form when none). Only for a structure that follows the person. */
  async noticePdf(auth: AuthContext, personId: string): Promise<Buffer> {
    const data = await this.dataSource.transaction(async (manager) => {
      await this.access.assertFollows(auth, personId, manager);
      const personName = await this.personName(manager, personId);
      const caller = await this.caller(manager, auth);
      const consents = await this.consents.find(manager, personId);
      const [tenant]: { person_retention_months: number; audit_retention_months: number }[] = await manager.query(
        `SELECT person_retention_months, audit_retention_months FROM tenant WHERE id = $1`,
        [auth.tenantId],
      );
      await this.audit.record(auth, { action: NOTICE_PRINT_ACTION, entityType: 'person', entityId: personId }, manager);
      return { personName, ...caller, consents, retention: { personMonths: tenant.person_retention_months, auditMonths: tenant.audit_retention_months } };
    });
    return buildNoticePdf({ ...data, printedAt: new Date() });
  }

  /** The access log as a PDF (AccessOverridesService.accessLog checks the access and audits the read). */
  async accessLogPdf(auth: AuthContext, personId: string): Promise<Buffer> {
    const entries = await this.overrides.accessLog(auth, personId);
    const personName = await this.personName(this.dataSource.manager, personId);
    const caller = await this.caller(this.dataSource.manager, auth);
    return buildAccessLogPdf({ personName, structureName: caller.structureName, exportedAt: new Date(), entries, limit: ACCESS_LOG_MAX });
  }

  /** Everything held on the person, readable by them (SubjectAccessService.export checks the access and audits the export). */
  async subjectAccessPdf(auth: AuthContext, personId: string): Promise<Buffer> {
    const data = await this.subjectAccess.export(auth, personId);
    return buildSubjectAccessPdf(data, { accessLogLimit: ACCESS_LOG_MAX });
  }

  private async personName(manager: EntityManager, personId: string): Promise<string> {
    const rows: { usage_last_name: string | null; birth_last_name: string | null; first_names: string | null }[] = await manager.query(
      `SELECT usage_last_name, birth_last_name, first_names FROM person WHERE id = $1`,
      [personId],
    );
    const row = rows[0];
    const name = row && personDisplayName({ usageLastName: row.usage_last_name, birthLastName: row.birth_last_name, firstNames: row.first_names });
    return name ?? 'Personne sans nom';
  }

  /** The caller's structure (which processes the data) and name (who hands the notice over). */
  private async caller(manager: EntityManager, auth: AuthContext): Promise<{ structureName: string; agentName: string }> {
    const rows: { structure_name: string | null; agent_name: string }[] = await manager.query(
      `SELECT (SELECT name FROM structure WHERE id = $2) AS structure_name, concat_ws(' ', u.first_name, u.last_name) AS agent_name
         FROM app_user u WHERE u.id = $1`,
      [auth.userId, auth.structureId],
    );
    return { structureName: rows[0]?.structure_name ?? '', agentName: rows[0]?.agent_name ?? '' };
  }
}
