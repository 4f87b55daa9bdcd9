import {
  FINAL_REFERRAL_STATUSES,
  type CaseloadEntry,
  type Professional,
  type Referent,
  type ReferentCriterion,
  type ReferentEndReason,
  type ReferralStatus,
  type RequestStatus,
} from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import { personDisplayName } from '../contacts/contact-rules';
import type { RecordVisibility, SqlCondition } from '../persons/person-access.service';
import { PERSON_ROLES } from '../persons/person-access.service';

/** Raw SQL of the référents, the professionals' picker and the caseload (handoffs: handoffs.repository.ts). */

interface ReferentRow {
  id: string;
  person_id: string;
  user_id: string;
  user_name: string;
  structure_id: string;
  structure_name: string;
  structure_phone: string | null;
  structure_email: string | null;
  criteria: ReferentCriterion[];
  chosen_with_person: boolean;
  criteria_note: string | null;
  designated_by: string | null;
  started_at: Date;
  ended_at: Date | null;
  ended_reason: ReferentEndReason | null;
}

const REFERENT_SELECT = `
  SELECT r.id, r.person_id, r.user_id, concat_ws(' ', u.first_name, u.last_name) AS user_name,
         r.structure_id, s.name AS structure_name, s.phone AS structure_phone, s.email::text AS structure_email,
         r.criteria, r.chosen_with_person, r.criteria_note,
         CASE WHEN du.id IS NOT NULL THEN concat_ws(' ', du.first_name, du.last_name) END AS designated_by,
         r.started_at, r.ended_at, r.ended_reason
    FROM referent r
    JOIN app_user u ON u.id = r.user_id
    JOIN structure s ON s.id = r.structure_id
    LEFT JOIN app_user du ON du.id = r.designated_by_user_id`;

/**
 * The person's référents, the active one first, then the past ones newest first. `viewerStructureId`:
 * the criteria note is only for the référent's own structure (the key is absent for the others).
 */
export async function findReferents(manager: EntityManager, tenantId: string, personId: string, viewerStructureId: string): Promise<Referent[]> {
  const rows: ReferentRow[] = await manager.query(
    `${REFERENT_SELECT}
      WHERE r.tenant_id = $1 AND r.person_id = $2
      ORDER BY (r.ended_at IS NULL) DESC, r.started_at DESC, r.ended_at DESC, r.id`,
    [tenantId, personId],
  );
  return rows.map((r) => toReferent(r, viewerStructureId));
}

/** The active référent row of the person, locked until the end of the transaction (null: none). */
export async function lockActiveReferent(
  manager: EntityManager,
  personId: string,
): Promise<{ id: string; userId: string; structureId: string } | null> {
  const rows: { id: string; user_id: string; structure_id: string }[] = await manager.query(
    `SELECT id, user_id, structure_id FROM referent WHERE person_id = $1 AND ended_at IS NULL FOR UPDATE`,
    [personId],
  );
  return rows[0] ? { id: rows[0].id, userId: rows[0].user_id, structureId: rows[0].structure_id } : null;
}

export async function endReferent(manager: EntityManager, id: string, byUserId: string | null, reason: ReferentEndReason): Promise<void> {
  await manager.query(`UPDATE referent SET ended_at = now(), ended_by_user_id = $2, ended_reason = $3 WHERE id = $1 AND ended_at IS NULL`, [
    id,
    byUserId,
    reason,
  ]);
}

export interface NewReferent {
  tenantId: string;
  personId: string;
  userId: string;
  structureId: string;
  criteria: ReferentCriterion[];
  chosenWithPerson: boolean;
  criteriaNote: string | null;
  designatedByUserId: string;
  handoffId: string | null;
}

export async function insertReferent(manager: EntityManager, r: NewReferent): Promise<string> {
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO referent (tenant_id, person_id, user_id, structure_id, criteria, chosen_with_person, criteria_note, designated_by_user_id, handoff_id)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9) RETURNING id`,
    [r.tenantId, r.personId, r.userId, r.structureId, r.criteria, r.chosenWithPerson, r.criteriaNote, r.designatedByUserId, r.handoffId],
  );
  return rows[0].id;
}

function toReferent(r: ReferentRow, viewerStructureId: string): Referent {
  return {
    id: r.id,
    personId: r.person_id,
    user: { id: r.user_id, name: r.user_name },
    structure: { id: r.structure_id, name: r.structure_name, phone: r.structure_phone, email: r.structure_email },
    criteria: r.criteria,
    chosenWithPerson: r.chosen_with_person,
    ...(r.structure_id === viewerStructureId ? { criteriaNote: r.criteria_note } : {}),
    designatedBy: r.designated_by,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    endedReason: r.ended_reason,
  };
}

/** SQL condition "membership `m` is an active professional who works with person files" (user `u`, structure `s`). */
export const ACTIVE_PROFESSIONAL_SQL = `(m.deactivated_at IS NULL AND m.role = ANY ('{${PERSON_ROLES.join(',')}}'::text[])
  AND s.active AND u.password_hash IS NOT NULL)`;

interface ProfessionalRow {
  user_id: string;
  name: string;
  role: Professional['role'];
  structure_id: string;
  structure_name: string;
}

export interface ProfessionalFilter {
  /** Words that must all appear in the name or the structure's name (accents and case ignored). */
  words?: string[];
  userId?: string;
  structureId?: string;
  /** Only the structures that follow this person. */
  followingPersonId?: string;
  limit: number;
}

/** Active professionals of the tenant, one row per membership, by name. */
export async function findProfessionals(manager: EntityManager, tenantId: string, filter: ProfessionalFilter): Promise<Professional[]> {
  const params: unknown[] = [tenantId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = ['m.tenant_id = $1', ACTIVE_PROFESSIONAL_SQL];
  for (const word of filter.words ?? []) {
    where.push(`search_normalize(concat_ws(' ', u.first_name, u.last_name, s.name)) LIKE '%' || search_normalize(${param(word)}) || '%'`);
  }
  if (filter.userId) where.push(`u.id = ${param(filter.userId)}`);
  if (filter.structureId) where.push(`s.id = ${param(filter.structureId)}`);
  if (filter.followingPersonId) {
    where.push(`EXISTS (SELECT 1 FROM person_follow pf WHERE pf.person_id = ${param(filter.followingPersonId)} AND pf.structure_id = s.id)`);
  }
  const rows: ProfessionalRow[] = await manager.query(
    `SELECT u.id AS user_id, concat_ws(' ', u.first_name, u.last_name) AS name, m.role, s.id AS structure_id, s.name AS structure_name
       FROM membership m
       JOIN app_user u ON u.id = m.user_id
       JOIN structure s ON s.id = m.structure_id
      WHERE ${where.join(' AND ')}
      ORDER BY u.last_name, u.first_name, s.name, u.id
      LIMIT ${param(filter.limit)}`,
    params,
  );
  return rows.map((r) => ({ userId: r.user_id, name: r.name, role: r.role, structureId: r.structure_id, structureName: r.structure_name }));
}

interface CaseloadRow {
  person_id: string;
  usage_last_name: string | null;
  birth_last_name: string | null;
  first_names: string | null;
  referent_since: Date;
  last_contact_at: Date | null;
  open_requests: { id: string; bouquet: number; status: RequestStatus }[];
  open_referrals: { id: string; bouquet: number; status: ReferralStatus; toStructureName: string; direction: 'sent' | 'received' }[];
}

export interface CaseloadQuery {
  tenantId: string;
  userId: string;
  structureId: string;
  /** PersonAccessService.visibleSql for alias `p`. */
  visible: (alias: string, firstParam: number) => SqlCondition;
  /** PersonAccessService.recordVisibleSql: other structures' contacts and requests only under consent. */
  visibleTo: RecordVisibility;
}

/**
 * The persons the user is the active référent for (as a professional of this structure), in one query:
 * the last contact the caller may see, the open requests the caller may see, and the orientations still
 * under way that the référent's structure sent or received. Served by referent_user_active_idx, then per
 * person by contact_person_idx, request_person_idx and referral_person_idx.
 */
export async function findCaseload(manager: EntityManager, q: CaseloadQuery): Promise<CaseloadEntry[]> {
  const params: unknown[] = [q.tenantId, q.userId, q.structureId, [...FINAL_REFERRAL_STATUSES]];
  const splice = (condition: SqlCondition) => {
    params.push(...condition.params);
    return condition.sql;
  };
  const contactVisible = splice(q.visibleTo('c.person_id', 'c.structure_id', 'needs_requests', params.length + 1));
  const requestVisible = splice(q.visibleTo('rq.person_id', 'rq.structure_id', 'needs_requests', params.length + 1));
  const personVisible = splice(q.visible('p', params.length + 1));
  const rows: CaseloadRow[] = await manager.query(
    `SELECT p.id AS person_id, p.usage_last_name, p.birth_last_name, p.first_names, r.started_at AS referent_since,
            (SELECT max(c.occurred_at) FROM contact c WHERE c.person_id = p.id AND ${contactVisible}) AS last_contact_at,
            coalesce((SELECT json_agg(json_build_object('id', rq.id, 'bouquet', rq.bouquet, 'status', rq.status) ORDER BY rq.opened_at DESC, rq.id)
                        FROM request rq
                       WHERE rq.person_id = p.id AND rq.status IN ('open', 'in_progress') AND ${requestVisible}), '[]'::json) AS open_requests,
            coalesce((SELECT json_agg(json_build_object('id', f.id, 'bouquet', f.bouquet, 'status', f.status, 'toStructureName', ts.name,
                                                        'direction', CASE WHEN f.from_structure_id = $3 THEN 'sent' ELSE 'received' END)
                                      ORDER BY f.sent_at DESC, f.id)
                        FROM referral f JOIN structure ts ON ts.id = f.to_structure_id
                       WHERE f.person_id = p.id AND (f.from_structure_id = $3 OR f.to_structure_id = $3)
                         AND f.status <> ALL ($4::text[])), '[]'::json) AS open_referrals
       FROM referent r
       JOIN person p ON p.id = r.person_id
      WHERE r.user_id = $2 AND r.structure_id = $3 AND r.tenant_id = $1 AND r.ended_at IS NULL AND ${personVisible}
      ORDER BY lower(coalesce(p.usage_last_name, p.birth_last_name, '')), lower(coalesce(p.first_names, '')), p.id`,
    params,
  );
  return rows.map((r) => ({
    personId: r.person_id,
    personName: personDisplayName({ usageLastName: r.usage_last_name, birthLastName: r.birth_last_name, firstNames: r.first_names }) ?? '',
    referentSince: r.referent_since.toISOString(),
    lastContactAt: r.last_contact_at ? new Date(r.last_contact_at).toISOString() : null,
    openRequests: r.open_requests.map((x) => ({ id: x.id, bouquet: x.bouquet, status: x.status })),
    openReferrals: r.open_referrals.map((x) => ({
      id: x.id,
      bouquet: x.bouquet,
      status: x.status,
      toStructureName: x.toStructureName,
      direction: x.direction,
    })),
  }));
}
