import type { Handoff, HandoffStatus, HandoffSummary, SubjectAccessHandoff } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import { personDisplayName } from '../contacts/contact-rules';
import type { SqlCondition } from '../persons/person-access.service';

/** Raw SQL of the handoffs (passages de relais). */

interface HandoffRow {
  id: string;
  person_id: string;
  usage_last_name: string | null;
  birth_last_name: string | null;
  first_names: string | null;
  person_visible: boolean;
  note_readable: boolean;
  from_structure_id: string;
  from_structure_name: string;
  from_user_name: string | null;
  to_structure_id: string;
  to_structure_name: string;
  to_user_id: string;
  to_user_name: string;
  note: string;
  propose_referent: boolean;
  status: HandoffStatus;
  decline_reason: string | null;
  proposed_at: Date;
  answered_at: Date | null;
}

export interface HandoffFilter {
  tenantId: string;
  ids?: string[];
  clientRequestId?: string;
  toUserId?: string;
  toStructureId?: string;
  fromStructureId?: string;
  /** Proposed ones, and the others answered less than this many days ago. */
  recentDays?: number;
  limit?: number;
}

/** How the viewer may see the handoff's person (PersonAccessService SQL for alias `p`). */
export interface HandoffViewer {
  structureId: string;
  /** The person's names: visibleSql (followed, identity shared by consent, override). */
  names: (alias: string, firstParam: number) => SqlCondition;
  /** The note: the sender's structure, or a viewer who may see something of the person (accessibleSql). */
  note: (alias: string, firstParam: number) => SqlCondition;
}

/** Handoffs in the `Handoff` shape, waiting ones first, then newest first. */
export async function findHandoffs(manager: EntityManager, filter: HandoffFilter, viewer: HandoffViewer): Promise<Handoff[]> {
  const params: unknown[] = [filter.tenantId, viewer.structureId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const splice = (condition: SqlCondition) => {
    params.push(...condition.params);
    return condition.sql;
  };
  const names = splice(viewer.names('p', params.length + 1));
  const note = splice(viewer.note('p', params.length + 1));
  const where = ['h.tenant_id = $1'];
  if (filter.ids) where.push(`h.id = ANY (${param(filter.ids)}::uuid[])`);
  if (filter.clientRequestId) where.push(`h.client_request_id = ${param(filter.clientRequestId)}`);
  if (filter.toUserId) where.push(`h.to_user_id = ${param(filter.toUserId)}`);
  if (filter.toStructureId) where.push(`h.to_structure_id = ${param(filter.toStructureId)}`);
  if (filter.fromStructureId) where.push(`h.from_structure_id = ${param(filter.fromStructureId)}`);
  if (filter.recentDays) where.push(`(h.status = 'proposed' OR h.answered_at > now() - make_interval(days => ${param(filter.recentDays)}))`);
  const limit = filter.limit ? `LIMIT ${param(filter.limit)}` : '';
  const rows: HandoffRow[] = await manager.query(
    `SELECT h.id, h.person_id, p.usage_last_name, p.birth_last_name, p.first_names, ${names} AS person_visible,
            (h.from_structure_id = $2 OR ${note}) AS note_readable,
            h.from_structure_id, fs.name AS from_structure_name,
            CASE WHEN fu.id IS NOT NULL THEN concat_ws(' ', fu.first_name, fu.last_name) END AS from_user_name,
            h.to_structure_id, ts.name AS to_structure_name, h.to_user_id, concat_ws(' ', tu.first_name, tu.last_name) AS to_user_name,
            h.note, h.propose_referent, h.status, h.decline_reason, h.proposed_at, h.answered_at
       FROM handoff h
       JOIN person p ON p.id = h.person_id
       JOIN structure fs ON fs.id = h.from_structure_id
       LEFT JOIN app_user fu ON fu.id = h.from_user_id
       JOIN structure ts ON ts.id = h.to_structure_id
       JOIN app_user tu ON tu.id = h.to_user_id
      WHERE ${where.join(' AND ')}
      ORDER BY (h.status = 'proposed') DESC, h.proposed_at DESC, h.id
      ${limit}`,
    params,
  );
  return rows.map(toHandoff);
}

/** The person's handoffs for the timeline: who, to whom, status and dates; never the note nor the decline reason. */
export async function findHandoffSummaries(manager: EntityManager, tenantId: string, personId: string): Promise<HandoffSummary[]> {
  const rows: Omit<HandoffRow, 'usage_last_name' | 'birth_last_name' | 'first_names' | 'person_visible' | 'note_readable' | 'note' | 'decline_reason'>[] =
    await manager.query(
      `SELECT h.id, h.person_id, h.from_structure_id, fs.name AS from_structure_name,
              CASE WHEN fu.id IS NOT NULL THEN concat_ws(' ', fu.first_name, fu.last_name) END AS from_user_name,
              h.to_structure_id, ts.name AS to_structure_name, h.to_user_id, concat_ws(' ', tu.first_name, tu.last_name) AS to_user_name,
              h.propose_referent, h.status, h.proposed_at, h.answered_at
         FROM handoff h
         JOIN structure fs ON fs.id = h.from_structure_id
         LEFT JOIN app_user fu ON fu.id = h.from_user_id
         JOIN structure ts ON ts.id = h.to_structure_id
         JOIN app_user tu ON tu.id = h.to_user_id
        WHERE h.tenant_id = $1 AND h.person_id = $2
        ORDER BY h.proposed_at DESC, h.id`,
      [tenantId, personId],
    );
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    from: { structureId: r.from_structure_id, structureName: r.from_structure_name, userName: r.from_user_name },
    to: { structureId: r.to_structure_id, structureName: r.to_structure_name, userId: r.to_user_id, userName: r.to_user_name },
    proposeReferent: r.propose_referent,
    status: r.status,
    proposedAt: r.proposed_at.toISOString(),
    answeredAt: r.answered_at?.toISOString() ?? null,
  }));
}

/**
 * The person's handoffs for the subject-access export answered by `structureId` (which follows the
 * person), newest first: those it sent or received with who handed the case to whom, the note and the
 * decline reason; the other structures' only that they took place (structures, status, dates).
 */
export async function findHandoffsForExport(
  manager: EntityManager,
  tenantId: string,
  personId: string,
  structureId: string,
): Promise<SubjectAccessHandoff[]> {
  const rows: {
    id: string;
    own: boolean;
    from_structure_id: string;
    from_structure_name: string;
    from_user_name: string | null;
    to_structure_id: string;
    to_structure_name: string;
    to_user_name: string | null;
    status: HandoffStatus;
    note: string | null;
    decline_reason: string | null;
    proposed_at: Date;
    answered_at: Date | null;
  }[] = await manager.query(
    `SELECT h.id, own, h.from_structure_id, fs.name AS from_structure_name,
            CASE WHEN own AND fu.id IS NOT NULL THEN concat_ws(' ', fu.first_name, fu.last_name) END AS from_user_name,
            h.to_structure_id, ts.name AS to_structure_name,
            CASE WHEN own THEN concat_ws(' ', tu.first_name, tu.last_name) END AS to_user_name,
            h.status, CASE WHEN own THEN h.note END AS note, CASE WHEN own THEN h.decline_reason END AS decline_reason,
            h.proposed_at, h.answered_at
       FROM handoff h
       CROSS JOIN LATERAL (SELECT (h.from_structure_id = $3 OR h.to_structure_id = $3) AS own) o
       JOIN structure fs ON fs.id = h.from_structure_id
       LEFT JOIN app_user fu ON fu.id = h.from_user_id
       JOIN structure ts ON ts.id = h.to_structure_id
       JOIN app_user tu ON tu.id = h.to_user_id
      WHERE h.tenant_id = $1 AND h.person_id = $2
      ORDER BY h.proposed_at DESC, h.id`,
    [tenantId, personId, structureId],
  );
  return rows.map((r) => ({
    id: r.id,
    from: { structureId: r.from_structure_id, structureName: r.from_structure_name, userName: r.from_user_name },
    to: { structureId: r.to_structure_id, structureName: r.to_structure_name, userName: r.to_user_name },
    status: r.status,
    proposedAt: r.proposed_at.toISOString(),
    answeredAt: r.answered_at?.toISOString() ?? null,
    ownStructure: r.own,
    ...(r.own ? { note: r.note ?? '', declineReason: r.decline_reason } : {}),
  }));
}

export interface LockedHandoff {
  id: string;
  personId: string;
  fromStructureId: string;
  toStructureId: string;
  toUserId: string;
  status: HandoffStatus;
  proposeReferent: boolean;
}

/** The handoff's state, locked for an update in the current transaction. */
export async function lockHandoff(manager: EntityManager, tenantId: string, id: string): Promise<LockedHandoff | null> {
  const rows: { id: string; person_id: string; from_structure_id: string; to_structure_id: string; to_user_id: string; status: HandoffStatus; propose_referent: boolean }[] =
    await manager.query(
      `SELECT id, person_id, from_structure_id, to_structure_id, to_user_id, status, propose_referent
         FROM handoff WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [tenantId, id],
    );
  const r = rows[0];
  return r
    ? {
        id: r.id,
        personId: r.person_id,
        fromStructureId: r.from_structure_id,
        toStructureId: r.to_structure_id,
        toUserId: r.to_user_id,
        status: r.status,
        proposeReferent: r.propose_referent,
      }
    : null;
}

/** The handoff waiting for an answer for this person, if any (the partial unique index allows one). */
export async function findProposedForPerson(manager: EntityManager, personId: string): Promise<{ id: string } | null> {
  const rows: { id: string }[] = await manager.query(`SELECT id FROM handoff WHERE person_id = $1 AND status = 'proposed'`, [personId]);
  return rows[0] ?? null;
}

export interface NewHandoff {
  tenantId: string;
  clientRequestId: string;
  personId: string;
  fromStructureId: string;
  fromUserId: string;
  toStructureId: string;
  toUserId: string;
  note: string;
  proposeReferent: boolean;
}

/** Inserts the handoff; null when the idempotency key was already used (a concurrent retry won). */
export async function insertHandoff(manager: EntityManager, h: NewHandoff): Promise<string | null> {
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO handoff (tenant_id, client_request_id, person_id, from_structure_id, from_user_id, to_structure_id, to_user_id, note, propose_referent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (tenant_id, client_request_id) DO NOTHING
     RETURNING id`,
    [h.tenantId, h.clientRequestId, h.personId, h.fromStructureId, h.fromUserId, h.toStructureId, h.toUserId, h.note, h.proposeReferent],
  );
  return rows[0]?.id ?? null;
}

/** Moves a proposed handoff to its answer (the trigger refuses any other transition). */
export async function answerHandoff(
  manager: EntityManager,
  id: string,
  status: Exclude<HandoffStatus, 'proposed'>,
  byUserId: string,
  declineReason: string | null,
): Promise<void> {
  await manager.query(`UPDATE handoff SET status = $2, answered_at = now(), answered_by_user_id = $3, decline_reason = $4 WHERE id = $1`, [
    id,
    status,
    byUserId,
    declineReason,
  ]);
}

function toHandoff(r: HandoffRow): Handoff {
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_visible
      ? personDisplayName({ usageLastName: r.usage_last_name, birthLastName: r.birth_last_name, firstNames: r.first_names })
      : null,
    from: { structureId: r.from_structure_id, structureName: r.from_structure_name, userName: r.from_user_name },
    to: { structureId: r.to_structure_id, structureName: r.to_structure_name, userId: r.to_user_id, userName: r.to_user_name },
    ...(r.note_readable ? { note: r.note } : {}),
    proposeReferent: r.propose_referent,
    status: r.status,
    declineReason: r.note_readable ? r.decline_reason : null,
    proposedAt: r.proposed_at.toISOString(),
    answeredAt: r.answered_at?.toISOString() ?? null,
  };
}
