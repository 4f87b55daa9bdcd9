import type { Contact, ContactAnswer, ContactChannel, ContactNeed, DataCategory } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import type { RecordVisibility } from '../persons/person-access.service';

/** Who reads: the private note of a contact is selected only for agents of its structure. */
export interface ContactViewer {
  tenantId: string;
  structureId: string;
}

/** Which contacts to read (all conditions combine). */
export interface ContactFilter {
  ids?: string[];
  personId?: string;
  structureId?: string;
  /** [from, to) on occurred_at. */
  occurredFrom?: Date;
  occurredTo?: Date;
  /**
   * The access policy for another structure's contacts of a person: without it, all match (callers
   * filter by their own structure); with it, another structure's contact is read only if its needs are
   * shared with the viewer, and its summary only if its summaries are (else the key is absent).
   */
  visibleTo?: RecordVisibility;
}

/** Names the contact's person, when the viewer may see them: SQL condition on alias `p` with its parameters. */
export type PersonVisibility = (firstParam: number) => { sql: string; params: unknown[] };

interface ContactRow {
  id: string;
  person_id: string | null;
  structure_id: string;
  structure_name: string;
  site_id: string | null;
  agent_user_id: string;
  agent_name: string;
  channel: ContactChannel;
  occurred_at: Date;
  duration_minutes: number | null;
  answer: ContactAnswer;
  summary: string | null;
  summary_shared: boolean;
  own_structure: boolean;
  private_note: string | null;
  needs: ContactNeed[];
  request_ids: string[];
  usage_last_name?: string | null;
  birth_last_name?: string | null;
  first_names?: string | null;
  person_visible?: boolean;
}

export type ContactWithPerson = Contact & { personNames: { usageLastName: string | null; birthLastName: string | null; firstNames: string | null } | null };

/**
 * Reads contacts in the `Contact` shape, newest first, with their needs (in order) and linked
 * requests. The private note is not even selected for a viewer of another structure, and its key
 * is then absent from the result (not null).
 */
export async function findContacts(manager: EntityManager, viewer: ContactViewer, filter: ContactFilter): Promise<Contact[]> {
  const rows = await queryContacts(manager, viewer, filter, null);
  return rows.map(toContact);
}

/** Like findContacts, with the names of each contact's person when `visibility` lets the viewer see them. */
export async function findContactsWithPerson(
  manager: EntityManager,
  viewer: ContactViewer,
  filter: ContactFilter,
  visibility: PersonVisibility,
): Promise<ContactWithPerson[]> {
  const rows = await queryContacts(manager, viewer, filter, visibility);
  return rows.map((r) => ({
    ...toContact(r),
    personNames: r.person_visible
      ? { usageLastName: r.usage_last_name ?? null, birthLastName: r.birth_last_name ?? null, firstNames: r.first_names ?? null }
      : null,
  }));
}

/** The contact already recorded under this idempotency key, with its structure. */
export async function findByClientRequestId(
  manager: EntityManager,
  tenantId: string,
  clientRequestId: string,
): Promise<{ id: string; structureId: string } | null> {
  const rows: { id: string; structure_id: string }[] = await manager.query(
    `SELECT id, structure_id FROM contact WHERE tenant_id = $1 AND client_request_id = $2`,
    [tenantId, clientRequestId],
  );
  return rows[0] ? { id: rows[0].id, structureId: rows[0].structure_id } : null;
}

async function queryContacts(manager: EntityManager, viewer: ContactViewer, filter: ContactFilter, visibility: PersonVisibility | null): Promise<ContactRow[]> {
  const params: unknown[] = [viewer.tenantId, viewer.structureId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['c.tenant_id = $1'];
  if (filter.ids) where.push(`c.id = ANY(${param(filter.ids)}::uuid[])`);
  if (filter.personId) where.push(`c.person_id = ${param(filter.personId)}`);
  if (filter.structureId) where.push(`c.structure_id = ${param(filter.structureId)}`);
  if (filter.occurredFrom) where.push(`c.occurred_at >= ${param(filter.occurredFrom)}`);
  if (filter.occurredTo) where.push(`c.occurred_at < ${param(filter.occurredTo)}`);
  let summaryShared = 'true';
  if (filter.visibleTo) {
    const shared = (category: DataCategory) => {
      const condition = filter.visibleTo!('c.person_id', 'c.structure_id', category, params.length + 1);
      params.push(...condition.params);
      return condition.sql;
    };
    where.push(shared('needs_requests'));
    summaryShared = shared('interview_summaries');
  }

  let personColumns = '';
  let personJoin = '';
  if (visibility) {
    const visible = visibility(params.length + 1);
    params.push(...visible.params);
    personColumns = `, (p.id IS NOT NULL) AS person_visible, p.usage_last_name, p.birth_last_name, p.first_names`;
    personJoin = `LEFT JOIN person p ON p.id = c.person_id AND ${visible.sql}`;
  }

  return manager.query(
    `SELECT c.id, c.person_id, c.structure_id, s.name AS structure_name, c.site_id, c.agent_user_id,
            concat_ws(' ', u.first_name, u.last_name) AS agent_name, c.channel, c.occurred_at, c.duration_minutes,
            c.answer, CASE WHEN ${summaryShared} THEN c.summary END AS summary, ${summaryShared} AS summary_shared,
            (c.structure_id = $2) AS own_structure,
            CASE WHEN c.structure_id = $2 THEN c.private_note END AS private_note,
            coalesce((SELECT json_agg(json_build_object('bouquet', n.bouquet, 'subNeed', n.sub_need, 'detail', n.detail) ORDER BY n.position)
                        FROM contact_need n WHERE n.contact_id = c.id), '[]'::json) AS needs,
            coalesce((SELECT array_agg(rc.request_id::text ORDER BY r.opened_at, r.id)
                        FROM request_contact rc JOIN request r ON r.id = rc.request_id
                       WHERE rc.contact_id = c.id), '{}'::text[]) AS request_ids
            ${personColumns}
       FROM contact c
       JOIN structure s ON s.id = c.structure_id
       JOIN app_user u ON u.id = c.agent_user_id
       ${personJoin}
      WHERE ${where.join(' AND ')}
      ORDER BY c.occurred_at DESC, c.created_at DESC, c.id`,
    params,
  );
}

function toContact(r: ContactRow): Contact {
  return {
    id: r.id,
    personId: r.person_id,
    structureId: r.structure_id,
    structureName: r.structure_name,
    siteId: r.site_id,
    agent: { id: r.agent_user_id, name: r.agent_name },
    channel: r.channel,
    occurredAt: r.occurred_at.toISOString(),
    durationMinutes: r.duration_minutes,
    needs: r.needs.map((n) => ({ bouquet: n.bouquet, subNeed: n.subNeed, detail: n.detail })),
    answer: r.answer,
    // Absent when another structure's summaries are not shared with the viewer.
    ...(r.summary_shared ? { summary: r.summary } : {}),
    // The key exists only for the author's structure.
    ...(r.own_structure ? { privateNote: r.private_note } : {}),
    requestIds: r.request_ids,
  };
}
