import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { REQUEST_STATUS_LABELS, type Contact, type RequestStatus, type TodaySummary } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error';
import { PersonAccessService } from '../persons/person-access.service';
import { isClosedStatus } from '../requests/request-status';
import { personDisplayName, summarizeContacts } from './contact-rules';
import { findByClientRequestId, findContacts, findContactsWithPerson, type ContactViewer } from './contacts.repository';
import type { AttachContactDto, CreateContactDto } from './dto/contact.dto';
import { parisDay } from './paris-day';

type CreateOutcome = { replay: true } | { replay: false; contactId: string };

/**
 * Contacts (passages): record one in a single transaction with its needs, the requests it opens or
 * touches, the follow of the person and the audit; attach an anonymous one later; the day's desk.
 */
@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Idempotent on `clientRequestId`: a retry (sequential or concurrent) returns the contact already
   * recorded and writes nothing. Concurrent inserts meet on the unique (tenant, client_request_id):
   * the loser's ON CONFLICT DO NOTHING waits for the winner's commit, then re-reads its contact.
   */
  async create(auth: AuthContext, dto: CreateContactDto): Promise<Contact> {
    const structureId = callerStructure(auth);
    const existing = await findByClientRequestId(this.dataSource.manager, auth.tenantId, dto.clientRequestId);
    if (existing) return this.replay(auth, existing);
    assertCoherent(dto);

    const outcome = await this.dataSource.transaction(async (manager): Promise<CreateOutcome> => {
      const personId = dto.personId ?? null;
      if (personId) {
        await this.access.assertCanSee(auth, personId, manager);
        await this.access.assertNotAnonymized(personId, manager);
      }
      if (dto.siteId) await assertSiteOfStructure(manager, auth.tenantId, structureId, dto.siteId);
      const occurredAt = dto.occurredAt ? new Date(dto.occurredAt) : new Date();

      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, site_id, agent_user_id, channel,
                              occurred_at, duration_minutes, answer, summary, private_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (tenant_id, client_request_id) DO NOTHING
         RETURNING id`,
        [
          auth.tenantId,
          dto.clientRequestId,
          personId,
          structureId,
          dto.siteId ?? null,
          auth.userId,
          dto.channel,
          occurredAt,
          dto.durationMinutes ?? null,
          dto.answer,
          dto.summary ?? null,
          dto.privateNote ?? null,
        ],
      );
      const contactId = inserted[0]?.id;
      if (!contactId) return { replay: true };

      await manager.query(
        `INSERT INTO contact_need (tenant_id, contact_id, position, bouquet, sub_need, detail)
         SELECT $1, $2, n.position - 1, n.bouquet, n.sub_need, n.detail
           FROM unnest($3::smallint[], $4::text[], $5::text[]) WITH ORDINALITY AS n(bouquet, sub_need, detail, position)`,
        [auth.tenantId, contactId, dto.needs.map((n) => n.bouquet), dto.needs.map((n) => n.subNeed), dto.needs.map((n) => n.detail)],
      );

      const opened: string[] = [];
      for (const index of dto.openRequestsForNeeds ?? []) {
        const need = dto.needs[index];
        const [row]: { id: string }[] = await manager.query(
          `INSERT INTO request (tenant_id, person_id, structure_id, bouquet, sub_need, description, status, opened_at, opened_by_user_id)
           VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id`,
          [auth.tenantId, personId, structureId, need.bouquet, need.subNeed, need.detail, occurredAt, auth.userId],
        );
        opened.push(row.id);
      }
      const linked = personId ? await lockLinkableRequests(manager, auth.tenantId, personId, dto.requestIds ?? []) : [];
      const touched = [...opened, ...linked];
      if (touched.length > 0) {
        await manager.query(
          `INSERT INTO request_contact (tenant_id, request_id, contact_id) SELECT $1, r, $2 FROM unnest($3::uuid[]) AS r`,
          [auth.tenantId, contactId, touched],
        );
      }
      if (personId) await this.access.follow(auth.tenantId, personId, structureId, 'contact', manager);

      await this.audit.record(
        auth,
        { action: 'contact.create', entityType: 'contact', entityId: contactId, reason: personId ? 'person' : 'anonymous' },
        manager,
      );
      for (const id of opened) await this.audit.record(auth, { action: 'request.open', entityType: 'request', entityId: id }, manager);
      for (const id of linked) await this.audit.record(auth, { action: 'request.link_contact', entityType: 'request', entityId: id }, manager);
      return { replay: false, contactId };
    });

    if (outcome.replay) {
      const winner = await findByClientRequestId(this.dataSource.manager, auth.tenantId, dto.clientRequestId);
      if (!winner) throw new DomainError('CONFLICT', 'Ce contact est en cours d’enregistrement : réessayez.');
      return this.replay(auth, winner);
    }
    return this.get(auth, outcome.contactId);
  }

  /** Attaches an anonymous contact of the caller's structure to a person the caller may see. */
  async attach(auth: AuthContext, contactId: string, dto: AttachContactDto): Promise<Contact> {
    const structureId = callerStructure(auth);
    await this.dataSource.transaction(async (manager) => {
      const rows: { person_id: string | null }[] = await manager.query(
        `SELECT person_id FROM contact WHERE id = $1 AND tenant_id = $2 AND structure_id = $3 FOR UPDATE`,
        [contactId, auth.tenantId, structureId],
      );
      if (!rows[0]) throw notFound('Contact');
      await this.access.assertCanSee(auth, dto.personId, manager);
      await this.access.assertNotAnonymized(dto.personId, manager);
      if (rows[0].person_id !== null) throw new DomainError('CONFLICT', 'Ce contact est déjà rattaché à une personne.');
      await manager.query(`UPDATE contact SET person_id = $2 WHERE id = $1`, [contactId, dto.personId]);
      await this.access.follow(auth.tenantId, dto.personId, structureId, 'contact', manager);
      await this.audit.record(auth, { action: 'contact.attach', entityType: 'contact', entityId: contactId }, manager);
    });
    return this.get(auth, contactId);
  }

  /** "Aujourd'hui" (Europe/Paris) at the caller's structure: counts by channel and need, and the contacts. Audited. */
  async today(auth: AuthContext, now: Date = new Date()): Promise<TodaySummary> {
    const viewer = viewerOf(auth);
    const day = parisDay(now);
    const contacts = await findContactsWithPerson(
      this.dataSource.manager,
      viewer,
      { structureId: viewer.structureId, occurredFrom: day.start, occurredTo: day.end },
      (firstParam) => this.access.visibleSql(auth, 'p', firstParam),
    );
    await this.audit.record(auth, { action: 'contact.today.read', entityType: 'structure', entityId: viewer.structureId });
    return {
      date: day.date,
      ...summarizeContacts(contacts),
      contacts: contacts.map(({ personNames, ...contact }) => ({ ...contact, personName: personNames ? personDisplayName(personNames) : null })),
    };
  }

  /** A retry of a create: the same contact, if it was recorded by the caller's structure. */
  private replay(auth: AuthContext, existing: { id: string; structureId: string }): Promise<Contact> {
    if (existing.structureId !== auth.structureId) {
      throw new DomainError('CONFLICT', 'Cet identifiant de requête (clientRequestId) a déjà servi : générez-en un nouveau.');
    }
    return this.get(auth, existing.id);
  }

  private async get(auth: AuthContext, id: string): Promise<Contact> {
    const [contact] = await findContacts(this.dataSource.manager, viewerOf(auth), { ids: [id] });
    if (!contact) throw notFound('Contact');
    return contact;
  }
}

function callerStructure(auth: AuthContext): string {
  if (!auth.structureId) throw forbidden();
  return auth.structureId;
}

function viewerOf(auth: AuthContext): ContactViewer {
  return { tenantId: auth.tenantId, structureId: callerStructure(auth) };
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);
}

/** Rules across fields, checked before anything is written. */
function assertCoherent(dto: CreateContactDto): void {
  const open = dto.openRequestsForNeeds ?? [];
  if (!dto.personId && open.length > 0) {
    throw invalid('openRequestsForNeeds', 'Pour ouvrir une demande, identifiez la personne : un contact anonyme ne peut pas ouvrir de demande.');
  }
  if (!dto.personId && (dto.requestIds ?? []).length > 0) {
    throw invalid('requestIds', 'Pour lier des demandes, identifiez la personne : un contact anonyme ne peut pas être lié à une demande.');
  }
  if (open.some((index) => index >= dto.needs.length)) {
    throw invalid('openRequestsForNeeds', `Besoin inexistant : les positions vont de 0 à ${dto.needs.length - 1}.`);
  }
}

async function assertSiteOfStructure(manager: EntityManager, tenantId: string, structureId: string, siteId: string): Promise<void> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM site WHERE id = $1 AND tenant_id = $2 AND structure_id = $3`, [siteId, tenantId, structureId]);
  if (rows.length === 0) throw invalid('siteId', 'Ce lieu d’accueil n’est pas un lieu de votre structure.');
}

/**
 * The requests a new contact touches: open or in progress, of the same person (whom the caller may
 * see, so their requests too). Locked FOR SHARE so that no status change closes them meanwhile.
 */
async function lockLinkableRequests(manager: EntityManager, tenantId: string, personId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows: { id: string; person_id: string; status: RequestStatus }[] = await manager.query(
    `SELECT id, person_id, status FROM request WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR SHARE`,
    [tenantId, ids],
  );
  const mine = rows.filter((r) => r.person_id === personId);
  if (mine.length !== ids.length) throw invalid('requestIds', 'Demande introuvable pour cette personne : seules ses propres demandes peuvent être liées.');
  const closed = mine.find((r) => isClosedStatus(r.status));
  if (closed) {
    throw new DomainError('CONFLICT', `Une demande close (« ${REQUEST_STATUS_LABELS[closed.status]} ») ne peut plus être liée à un contact.`);
  }
  return ids;
}
