import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AccessLogEntry, AccessOverride, OverrideLegalBasis, SubjectAccessExport } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error';
import { PersonAccessService } from '../persons/person-access.service';
import type { CreateAccessOverrideDto } from './dto/sharing.dto';

/** How long an exceptional access lasts: enough to act on the danger, not a standing permission. */
export const OVERRIDE_HOURS = 4;
/** The access log shows this many entries at most, newest first. */
export const ACCESS_LOG_MAX = 1000;

const NO_PERMISSION = 'L’accès exceptionnel demande une permission que l’administrateur de votre structure n’a pas accordée à votre compte.';

/** French labels of the audited actions on a person's file, for the access log. */
export const ACCESS_LOG_LABELS: Record<string, string> = {
  'person.read': 'Consultation du dossier',
  'person.create': 'Création du dossier',
  'person.update': 'Modification de l’identité',
  'person.merge': 'Fusion de dossiers',
  'person.timeline.read': 'Consultation du parcours',
  'person.requests.read': 'Consultation des demandes',
  'person.consents.read': 'Consultation des consentements',
  'person.access_override': 'Accès exceptionnel pour motif légal',
  'person.access_log.read': 'Consultation du journal des accès',
  'consent.create': 'Recueil d’un consentement',
  'consent.withdraw': 'Retrait d’un consentement',
  'consent.notice.print': 'Impression de la notice de consentement',
  'person.export': 'Export des données (droit d’accès)',
  'person.referents.read': 'Consultation du référent de parcours',
  'referent.designate': 'Désignation d’un référent de parcours',
  'referent.end': 'Fin de l’accompagnement par le référent',
  'handoff.propose': 'Proposition d’un passage de relais',
  'handoff.read': 'Consultation d’un passage de relais',
  'handoff.accept': 'Acceptation d’un passage de relais',
  'handoff.decline': 'Refus d’un passage de relais',
  'handoff.cancel': 'Annulation d’un passage de relais',
  'professionals.search': 'Recherche des professionnels qui suivent la personne',
};

interface OverrideRow {
  id: string;
  person_id: string;
  legal_basis: OverrideLegalBasis;
  justification: string;
  user_name: string;
  created_at: Date;
  expires_at: Date;
  reviewed_at: Date | null;
  reviewed_by: string | null;
}

/**
 * Exceptional access for a legal reason (danger, legal obligation): only with the permission the
 * structure admin grants, with a mandatory reason, for OVERRIDE_HOURS, and an audit row flagged for the
 * admin's review. Also the person's access log: who opened the file, when, from where, why.
 */
@Injectable()
export class AccessOverridesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, personId: string, dto: CreateAccessOverrideDto): Promise<AccessOverride> {
    const allowed: { may_override_consent: boolean }[] = await this.dataSource.query(
      `SELECT may_override_consent FROM membership WHERE id = $1 AND deactivated_at IS NULL`,
      [auth.membershipId],
    );
    if (!allowed[0]?.may_override_consent) {
      await this.audit.record(auth, { action: 'person.access_override', outcome: 'denied', entityType: 'person', entityId: personId, reason: 'no_permission' });
      throw forbidden(NO_PERMISSION);
    }
    return this.dataSource.transaction(async (manager) => {
      const persons: unknown[] = await manager.query(`SELECT 1 FROM person WHERE id = $1 AND tenant_id = $2 AND merged_into_id IS NULL`, [
        personId,
        auth.tenantId,
      ]);
      if (persons.length === 0) throw notFound('Personne');
      const current = await this.access.accessFor(auth, personId, manager);
      if (current?.reason === 'followed_by_my_structure') {
        throw new DomainError('CONFLICT', 'Votre structure suit déjà cette personne : vous voyez déjà son dossier.');
      }
      const [row]: { id: string }[] = await manager.query(
        `INSERT INTO access_override (tenant_id, person_id, user_id, structure_id, legal_basis, justification, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))
         RETURNING id`,
        [auth.tenantId, personId, auth.userId, auth.structureId, dto.legalBasis, dto.justification, OVERRIDE_HOURS],
      );
      await this.audit.record(
        auth,
        { action: 'person.access_override', entityType: 'person', entityId: personId, reason: dto.legalBasis, flagged: true },
        manager,
      );
      return (await this.find(manager, { id: row.id }))[0];
    });
  }

  /** The exceptional accesses by agents of the admin's structure, those to review first. */
  async listForReview(auth: AuthContext): Promise<AccessOverride[]> {
    return this.find(this.dataSource.manager, { structureId: auth.structureId as string });
  }

  async review(auth: AuthContext, id: string): Promise<AccessOverride> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { person_id: string; reviewed_at: Date | null }[] = await manager.query(
        `SELECT person_id, reviewed_at FROM access_override WHERE id = $1 AND structure_id = $2 FOR UPDATE`,
        [id, auth.structureId],
      );
      if (!rows[0]) throw notFound('Accès exceptionnel');
      if (!rows[0].reviewed_at) {
        await manager.query(`UPDATE access_override SET reviewed_at = now(), reviewed_by_user_id = $2 WHERE id = $1`, [id, auth.userId]);
        await this.audit.record(auth, { action: 'access_override.review', entityType: 'access_override', entityId: id }, manager);
      }
      return (await this.find(manager, { id }))[0];
    });
  }

  /** Who opened the person's file, when, from which structure, why. For the admin of a structure that follows the person. */
  async accessLog(auth: AuthContext, personId: string): Promise<AccessLogEntry[]> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertFollows(auth, personId, manager);
      await this.audit.record(auth, { action: 'person.access_log.read', entityType: 'person', entityId: personId }, manager);
      return this.logEntries(manager, auth.tenantId, personId);
    });
  }

  /** The audited actions on the person's file, newest first (no access check: callers check first). */
  async logEntries(manager: EntityManager, tenantId: string, personId: string): Promise<AccessLogEntry[]> {
    const rows: {
      occurred_at: Date;
      action: string;
      user_name: string | null;
      structure_name: string | null;
      reason: string | null;
      outcome: AccessLogEntry['outcome'];
      flagged: boolean;
    }[] = await manager.query(
      `SELECT a.occurred_at, a.action, nullif(concat_ws(' ', u.first_name, u.last_name), '') AS user_name, s.name AS structure_name,
              a.reason, a.outcome, a.flagged
         FROM audit_event a
         LEFT JOIN app_user u ON u.id = a.user_id
         LEFT JOIN structure s ON s.id = a.structure_id
        WHERE a.entity_type = 'person' AND a.entity_id = $1 AND a.tenant_id = $2
        ORDER BY a.occurred_at DESC, a.id DESC
        LIMIT ${ACCESS_LOG_MAX}`,
      [personId, tenantId],
    );
    return rows.map((r) => ({
      at: r.occurred_at.toISOString(),
      action: r.action,
      actionLabel: ACCESS_LOG_LABELS[r.action] ?? r.action,
      userName: r.user_name,
      structureName: r.structure_name,
      reason: r.reason,
      outcome: r.outcome,
      flagged: r.flagged,
    }));
  }

  /** The exceptional accesses to this person's file (for the subject-access export): when, by whom, on which legal basis, whether reviewed. */
  async forPerson(manager: EntityManager, tenantId: string, personId: string): Promise<SubjectAccessExport['exceptionalAccesses']> {
    const rows: { legal_basis: OverrideLegalBasis; user_name: string; structure_name: string; created_at: Date; expires_at: Date; reviewed_at: Date | null }[] =
      await manager.query(
        `SELECT o.legal_basis, concat_ws(' ', u.first_name, u.last_name) AS user_name, s.name AS structure_name, o.created_at, o.expires_at, o.reviewed_at
           FROM access_override o JOIN app_user u ON u.id = o.user_id JOIN structure s ON s.id = o.structure_id
          WHERE o.person_id = $1 AND o.tenant_id = $2
          ORDER BY o.created_at DESC`,
        [personId, tenantId],
      );
    return rows.map((r) => ({
      legalBasis: r.legal_basis,
      userName: r.user_name,
      structureName: r.structure_name,
      at: r.created_at.toISOString(),
      until: r.expires_at.toISOString(),
      reviewedAt: r.reviewed_at?.toISOString() ?? null,
    }));
  }

  private async find(manager: EntityManager, by: { id?: string; structureId?: string }): Promise<AccessOverride[]> {
    const [column, value] = by.id ? ['o.id', by.id] : ['o.structure_id', by.structureId];
    const rows: OverrideRow[] = await manager.query(
      `SELECT o.id, o.person_id, o.legal_basis, o.justification, concat_ws(' ', u.first_name, u.last_name) AS user_name,
              o.created_at, o.expires_at, o.reviewed_at, CASE WHEN o.reviewed_at IS NOT NULL THEN concat_ws(' ', r.first_name, r.last_name) END AS reviewed_by
         FROM access_override o
         JOIN app_user u ON u.id = o.user_id
         LEFT JOIN app_user r ON r.id = o.reviewed_by_user_id
        WHERE ${column} = $1
        ORDER BY (o.reviewed_at IS NULL) DESC, o.created_at DESC
        LIMIT 200`,
      [value],
    );
    return rows.map(toOverride);
  }
}

function toOverride(r: OverrideRow): AccessOverride {
  return {
    id: r.id,
    personId: r.person_id,
    legalBasis: r.legal_basis,
    justification: r.justification,
    userName: r.user_name,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    reviewedBy: r.reviewed_by,
  };
}
