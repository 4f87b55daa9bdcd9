/**
 * The contact-logging transaction of ContactsService.create (api/src/contacts/contacts.service.ts),
 * statement for statement, issued with `pg` directly — the floor the API's POST /api/contacts is
 * compared with. For a contact about a person:
 *   START TRANSACTION
 *   PersonAccessService.accessFor (may the caller see the person: follow, override, consents)
 *   PersonAccessService.assertNotAnonymized (SELECT … FOR SHARE of the person)
 *   assertSiteOfStructure (when a site is given)
 *   INSERT contact … ON CONFLICT (tenant_id, client_request_id) DO NOTHING RETURNING id
 *   INSERT contact_need (one row per need, unnest)
 *   INSERT request, per need whose request is opened
 *   INSERT request_contact (the requests opened), when any
 *   PersonAccessService.follow (INSERT person_follow … ON CONFLICT DO NOTHING, as TypeORM writes it)
 *   AuditService.record 'contact.create', then 'request.open' per request opened (as TypeORM writes it)
 *   COMMIT
 * An anonymous contact skips the access checks and the follow. The database's triggers fire alike.
 * Not in it (the API's own work around the transaction): the session lookup of the guard, the
 * idempotency read before, the contact read back after. checkAgainstService() proves the two match.
 */
import type { CreateContactRequest, Role } from '@passerelle/contracts';
import type { PoolClient } from 'pg';

/** Who logs the contact, as the API's AuthContext has it (and the audit's ip / request id). */
export interface RawActor {
  tenantId: string;
  userId: string;
  structureId: string;
  role: Role;
  ip: string | null;
  requestId: string | null;
}

export type Execute = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const ACCESS_SQL = `SELECT EXISTS (SELECT 1 FROM person_follow acl_f WHERE acl_f.person_id = p.id AND acl_f.structure_id = $3) AS followed,
              EXISTS (SELECT 1 FROM access_override acl_o WHERE acl_o.person_id = p.id AND acl_o.user_id = $4 AND acl_o.expires_at > now()) AS overridden,
              (SELECT array_agg(DISTINCT category) FROM consent acl_c, unnest(acl_c.categories) AS category
                WHERE acl_c.person_id = p.id AND acl_c.recipient_structure_id = $3 AND acl_c.withdrawn_at IS NULL AND (acl_c.valid_until IS NULL OR acl_c.valid_until > now())) AS consented
         FROM person p
        WHERE p.id = $1 AND p.tenant_id = $2 AND p.merged_into_id IS NULL`;
const NOT_ANONYMIZED_SQL = `SELECT anonymized_at FROM person WHERE id = $1 FOR SHARE`;
const SITE_SQL = `SELECT 1 FROM site WHERE id = $1 AND tenant_id = $2 AND structure_id = $3`;
const CONTACT_SQL = `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, site_id, agent_user_id, channel,
                              occurred_at, duration_minutes, answer, summary, private_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (tenant_id, client_request_id) DO NOTHING
         RETURNING id`;
const NEEDS_SQL = `INSERT INTO contact_need (tenant_id, contact_id, position, bouquet, sub_need, detail)
         SELECT $1, $2, n.position - 1, n.bouquet, n.sub_need, n.detail
           FROM unnest($3::smallint[], $4::text[], $5::text[]) WITH ORDINALITY AS n(bouquet, sub_need, detail, position)`;
const REQUEST_SQL = `INSERT INTO request (tenant_id, person_id, structure_id, bouquet, sub_need, description, status, opened_at, opened_by_user_id)
           VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id`;
const REQUEST_CONTACT_SQL = `INSERT INTO request_contact (tenant_id, request_id, contact_id) SELECT $1, r, $2 FROM unnest($3::uuid[]) AS r`;
// TypeORM's statements, as its query builder writes them for PersonAccessService.follow and AuditService.record.
const FOLLOW_SQL = `INSERT INTO "person_follow"("person_id", "structure_id", "tenant_id", "since", "reason") VALUES ($1, $2, $3, DEFAULT, $4) ON CONFLICT DO NOTHING RETURNING "since"`;
const AUDIT_SQL = `INSERT INTO "audit_event"("id", "tenant_id", "occurred_at", "user_id", "structure_id", "role", "action", "entity_type", "entity_id", "outcome", "reason", "ip", "request_id", "flagged") VALUES (DEFAULT, $1, DEFAULT, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING "id", "occurred_at", "flagged"`;

/** The statements between START TRANSACTION and COMMIT, run through `execute`; returns the contact's id. */
export async function contactStatements(execute: Execute, actor: RawActor, dto: CreateContactRequest): Promise<{ contactId: string; requestIds: string[] }> {
  const personId = dto.personId ?? null;
  if (personId) {
    const [access] = await execute(ACCESS_SQL, [personId, actor.tenantId, actor.structureId, actor.userId]);
    if (!access || !(access['followed'] || access['overridden'] || (access['consented'] as unknown[] | null)?.length)) throw new Error(`raw contact: person ${personId} not visible`);
    const [person] = await execute(NOT_ANONYMIZED_SQL, [personId]);
    if (person?.['anonymized_at']) throw new Error(`raw contact: person ${personId} anonymised`);
  }
  if (dto.siteId) {
    if ((await execute(SITE_SQL, [dto.siteId, actor.tenantId, actor.structureId])).length === 0) throw new Error(`raw contact: site ${dto.siteId} not of the structure`);
  }
  const occurredAt = dto.occurredAt ? new Date(dto.occurredAt) : new Date();
  const [inserted] = await execute(CONTACT_SQL, [
    actor.tenantId,
    dto.clientRequestId,
    personId,
    actor.structureId,
    dto.siteId ?? null,
    actor.userId,
    dto.channel,
    occurredAt,
    dto.durationMinutes ?? null,
    dto.answer,
    dto.summary ?? null,
    dto.privateNote ?? null,
  ]);
  const contactId = inserted?.['id'] as string | undefined;
  if (!contactId) throw new Error('raw contact: clientRequestId already used');
  await execute(NEEDS_SQL, [actor.tenantId, contactId, dto.needs.map((n) => n.bouquet), dto.needs.map((n) => n.subNeed ?? null), dto.needs.map((n) => n.detail ?? null)]);
  const opened: string[] = [];
  for (const index of dto.openRequestsForNeeds ?? []) {
    const need = dto.needs[index];
    const [row] = await execute(REQUEST_SQL, [actor.tenantId, personId, actor.structureId, need.bouquet, need.subNeed ?? null, need.detail ?? null, occurredAt, actor.userId]);
    opened.push(row['id'] as string);
  }
  if (opened.length > 0) await execute(REQUEST_CONTACT_SQL, [actor.tenantId, contactId, opened]);
  if (personId) await execute(FOLLOW_SQL, [personId, actor.structureId, actor.tenantId, 'contact']);
  const audit = (action: string, entityType: string, entityId: string, reason: string | null) =>
    execute(AUDIT_SQL, [actor.tenantId, actor.userId, actor.structureId, actor.role, action, entityType, entityId, 'success', reason, actor.ip, actor.requestId, false]);
  await audit('contact.create', 'contact', contactId, personId ? 'person' : 'anonymous');
  for (const id of opened) await audit('request.open', 'request', id, null);
  return { contactId, requestIds: opened };
}

/** One contact logged by the raw transaction on `client` (rolled back on error). */
export async function rawContact(client: PoolClient, actor: RawActor, dto: CreateContactRequest): Promise<void> {
  const execute: Execute = async (sql, params) => (await client.query(sql, params)).rows as Record<string, unknown>[];
  await client.query('START TRANSACTION');
  try {
    await contactStatements(execute, actor, dto);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * A statement list in a comparable form: whitespace collapsed; the run's own values (its
 * clientRequestId, the ids the inserts returned, the times, the request id) replaced by names.
 */
export function normalizeStatements(statements: readonly Statement[], own: Record<string, string>): string[] {
  const names = new Map(Object.entries(own).map(([name, value]) => [value, `<${name}>`]));
  const value = (v: unknown): unknown => {
    if (v instanceof Date) return '<now>';
    if (Array.isArray(v)) return v.map(value);
    if (typeof v === 'string' && names.has(v)) return names.get(v);
    return v;
  };
  return statements.map((s) => `${s.sql.replace(/\s+/g, ' ').trim()}  ${JSON.stringify(s.params.map(value))}`);
}
