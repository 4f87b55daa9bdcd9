import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CONSENT_NOTICE_VERSION, type Consent, type ConsentRecipientKind, type DataCategory } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, notFound } from '../common/errors/domain-error';
import { PersonAccessService } from '../persons/person-access.service';
import type { CreateConsentDto } from './dto/sharing.dto';

interface ConsentRow {
  id: string;
  person_id: string;
  purpose: Consent['purpose'];
  recipient_kind: ConsentRecipientKind;
  recipient_structure_id: string | null;
  recipient_structure_name: string | null;
  categories: DataCategory[];
  collection_method: Consent['collectionMethod'];
  notice_version: string;
  collected_at: Date;
  collected_by_name: string;
  collected_by_structure_id: string;
  collected_by_structure_name: string;
  valid_until: Date | null;
  withdrawn_at: Date | null;
  withdrawn_by_name: string | null;
  withdrawn_by_structure_name: string | null;
  active: boolean;
}

const CONSENT_SELECT = `
  SELECT c.id, c.person_id, c.purpose, c.recipient_kind, c.recipient_structure_id, rs.name AS recipient_structure_name,
         c.categories, c.collection_method, c.notice_version, c.collected_at,
         concat_ws(' ', cu.first_name, cu.last_name) AS collected_by_name, c.collected_by_structure_id,
         cs.name AS collected_by_structure_name, c.valid_until, c.withdrawn_at,
         CASE WHEN c.withdrawn_at IS NOT NULL THEN concat_ws(' ', wu.first_name, wu.last_name) END AS withdrawn_by_name,
         ws.name AS withdrawn_by_structure_name,
         (c.withdrawn_at IS NULL AND (c.valid_until IS NULL OR c.valid_until > now())) AS active
    FROM consent c
    LEFT JOIN structure rs ON rs.id = c.recipient_structure_id
    JOIN app_user cu ON cu.id = c.collected_by_user_id
    JOIN structure cs ON cs.id = c.collected_by_structure_id
    LEFT JOIN app_user wu ON wu.id = c.withdrawn_by_user_id
    LEFT JOIN structure ws ON ws.id = c.withdrawn_by_structure_id`;

const M = {
  notice: `La notice d’information a changé : présentez à la personne la version en vigueur (${CONSENT_NOTICE_VERSION}) avant de recueillir son consentement.`,
  recipientStructure: 'Choisissez la structure destinataire.',
  recipientNotStructure: 'Une structure destinataire ne s’indique que pour un partage avec une structure nommée.',
  ownStructure: 'Votre structure suit déjà cette personne : choisissez une structure partenaire.',
  network: 'La visibilité dans le réseau se recueille seule : destinataire « tout le réseau », sans catégorie de données.',
  categories: 'Choisissez au moins une catégorie d’informations à partager.',
  summaries: 'Les synthèses d’entretien se partagent avec les passages auxquels elles appartiennent : cochez aussi « Besoins et demandes ».',
  validUntil: 'La fin de validité doit être dans le futur.',
  replayOtherPerson: 'Cette clé d’idempotence a déjà servi pour une autre personne.',
};

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);

/**
 * A person's consents to share: recorded with the person by a structure that follows them, never
 * rewritten (the database refuses it); a withdrawal is added, once, and takes effect on the very next
 * request since the access policy reads the consents on each one.
 */
@Injectable()
export class ConsentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
  ) {}

  /** All the person's consents, active and past, newest first. Audited. */
  async list(auth: AuthContext, personId: string): Promise<Consent[]> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertFollows(auth, personId, manager);
      await this.audit.record(auth, { action: 'person.consents.read', entityType: 'person', entityId: personId }, manager);
      return this.find(manager, personId);
    });
  }

  /** Records a consent; idempotent on clientRequestId (a retry returns the consent already recorded). */
  async create(auth: AuthContext, personId: string, dto: CreateConsentDto): Promise<Consent> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertFollows(auth, personId, manager);
      const replay = await this.find(manager, personId, { clientRequestId: dto.clientRequestId, tenantId: auth.tenantId });
      if (replay[0]) return replay[0];
      await this.access.assertNotAnonymized(personId, manager);
      await this.assertCoherent(auth, dto, manager);
      const inserted: { id: string; person_id: string }[] = await manager.query(
        `INSERT INTO consent (tenant_id, client_request_id, person_id, purpose, recipient_kind, recipient_structure_id, categories,
                              collection_method, notice_version, collected_by_user_id, collected_by_structure_id, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7::varchar(24)[], $8, $9, $10, $11, $12)
         ON CONFLICT (tenant_id, client_request_id) DO NOTHING
         RETURNING id, person_id`,
        [
          auth.tenantId,
          dto.clientRequestId,
          personId,
          dto.purpose,
          dto.recipientKind,
          dto.recipientKind === 'structure' ? dto.recipientStructureId : null,
          dto.recipientKind === 'network' ? [] : dto.categories,
          dto.collectionMethod,
          dto.noticeVersion,
          auth.userId,
          auth.structureId,
          dto.validUntil ?? null,
        ],
      );
      if (!inserted[0]) {
        // A concurrent retry won the race: answer with its consent.
        const [winner] = await this.find(manager, null, { clientRequestId: dto.clientRequestId, tenantId: auth.tenantId });
        if (!winner || winner.personId !== personId) throw invalid('clientRequestId', M.replayOtherPerson);
        return winner;
      }
      await this.audit.record(
        auth,
        { action: 'consent.create', entityType: 'person', entityId: personId, reason: `${dto.purpose}:${dto.recipientKind}` },
        manager,
      );
      const [consent] = await this.find(manager, personId, { id: inserted[0].id });
      return consent;
    });
  }

  /** Withdraws a consent (idempotent: withdrawing a withdrawn consent changes nothing). */
  async withdraw(auth: AuthContext, personId: string, consentId: string): Promise<Consent> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertFollows(auth, personId, manager);
      const rows: { withdrawn_at: Date | null }[] = await manager.query(
        `SELECT withdrawn_at FROM consent WHERE id = $1 AND person_id = $2 AND tenant_id = $3 FOR UPDATE`,
        [consentId, personId, auth.tenantId],
      );
      if (!rows[0]) throw notFound('Consentement');
      if (!rows[0].withdrawn_at) {
        await manager.query(`UPDATE consent SET withdrawn_at = now(), withdrawn_by_user_id = $2, withdrawn_by_structure_id = $3 WHERE id = $1`, [
          consentId,
          auth.userId,
          auth.structureId,
        ]);
        await this.audit.record(auth, { action: 'consent.withdraw', entityType: 'person', entityId: personId, reason: consentId }, manager);
      }
      const [consent] = await this.find(manager, personId, { id: consentId });
      return consent;
    });
  }

  /** The consents of a person (or by id / idempotency key), newest first. */
  async find(
    manager: EntityManager,
    personId: string | null,
    by: { id?: string; clientRequestId?: string; tenantId?: string } = {},
  ): Promise<Consent[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (personId) add('c.person_id = ?', personId);
    if (by.id) add('c.id = ?', by.id);
    if (by.clientRequestId) add('c.client_request_id = ?', by.clientRequestId);
    if (by.tenantId) add('c.tenant_id = ?', by.tenantId);
    const rows: ConsentRow[] = await manager.query(`${CONSENT_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.collected_at DESC, c.id`, params);
    return rows.map(toConsent);
  }

  private async assertCoherent(auth: AuthContext, dto: CreateConsentDto, manager: EntityManager): Promise<void> {
    if (dto.noticeVersion !== CONSENT_NOTICE_VERSION) throw invalid('noticeVersion', M.notice);
    const network = dto.purpose === 'network_visibility';
    if (network !== (dto.recipientKind === 'network') || (network && dto.categories.length > 0)) throw invalid('recipientKind', M.network);
    if (!network && dto.categories.length === 0) throw invalid('categories', M.categories);
    if (dto.categories.includes('interview_summaries') && !dto.categories.includes('needs_requests')) throw invalid('categories', M.summaries);
    if (dto.recipientKind === 'structure') {
      if (!dto.recipientStructureId) throw invalid('recipientStructureId', M.recipientStructure);
      if (dto.recipientStructureId === auth.structureId) throw invalid('recipientStructureId', M.ownStructure);
      const found: unknown[] = await manager.query(`SELECT 1 FROM structure WHERE id = $1 AND tenant_id = $2`, [dto.recipientStructureId, auth.tenantId]);
      if (found.length === 0) throw invalid('recipientStructureId', M.recipientStructure);
    } else if (dto.recipientStructureId) {
      throw invalid('recipientStructureId', M.recipientNotStructure);
    }
    if (dto.validUntil && new Date(dto.validUntil).getTime() <= Date.now()) throw invalid('validUntil', M.validUntil);
  }
}

function toConsent(r: ConsentRow): Consent {
  return {
    id: r.id,
    personId: r.person_id,
    purpose: r.purpose,
    recipient: { kind: r.recipient_kind, structureId: r.recipient_structure_id, structureName: r.recipient_structure_name },
    categories: r.categories,
    collectionMethod: r.collection_method,
    noticeVersion: r.notice_version,
    collectedAt: r.collected_at.toISOString(),
    collectedBy: { userName: r.collected_by_name, structureId: r.collected_by_structure_id, structureName: r.collected_by_structure_name },
    validUntil: r.valid_until?.toISOString() ?? null,
    withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
    withdrawnBy: r.withdrawn_at ? { userName: r.withdrawn_by_name ?? '', structureName: r.withdrawn_by_structure_name ?? '' } : null,
    active: r.active,
  };
}
