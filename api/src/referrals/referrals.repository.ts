import {
  type AccessibilityLinkCode,
  type DataCategory,
  type InChargeKind,
  type NeedBouquetCode,
  type Referral,
  type ReferralEvent,
  type ReferralOutcome,
  type ReferralStatus,
  type RefusalReason,
  type StructureType,
} from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import { personDisplayName } from '../contacts/contact-rules';
import type { PersonAccessService, RecordVisibility, SqlCondition } from '../persons/person-access.service';
import { allowedTransitions, sideOf } from './referral-status';

/**
 * Who reads orientations, with the access policy's SQL conditions (never decided here): whether they
 * may see the person's name, and other structures' records ("besoins et demandes").
 */
export interface ReferralViewer {
  tenantId: string;
  structureId: string;
  /** PersonAccessService.visibleSql: the viewer may see person `alias` by name (followed, identity consented, override). */
  nameVisible: (alias: string, firstParam: number) => SqlCondition;
  /** PersonAccessService.recordVisibleSql: another structure's records of the person, shared with the viewer. */
  recordVisible: RecordVisibility;
}

export function referralViewer(access: PersonAccessService, auth: AuthContext & { structureId: string }): ReferralViewer {
  return {
    tenantId: auth.tenantId,
    structureId: auth.structureId,
    nameVisible: (alias, firstParam) => access.visibleSql(auth, alias, firstParam),
    recordVisible: access.recordVisibilityFor(auth),
  };
}

/**
 * Which orientations to read (conditions combine), within the viewer's tenant:
 * - `party`: those the viewer's structure sent or receives (GET /referrals/:id);
 * - `inbox` / `sent`: received / sent by it;
 * - `person`: a person's orientations the viewer may see — sent or received by its structure, and the
 *   others' when "besoins et demandes" is shared with it (the sender's structure is the record's owner).
 */
export interface ReferralFilter {
  scope: 'party' | 'inbox' | 'sent' | 'person';
  ids?: string[];
  personId?: string;
  status?: ReferralStatus;
  bouquet?: number;
  olderThanDays?: number;
  /** Newest first; without a limit, every match (a person's orientations). */
  limit?: number;
  offset?: number;
}

interface ReferralRow {
  id: string;
  person_id: string;
  /** [usage, birth, first names] when the viewer may see the name, else null. */
  names: (string | null)[] | null;
  from_structure_id: string;
  from_name: string;
  from_type: StructureType;
  from_user_name: string | null;
  to_structure_id: string;
  to_name: string;
  to_type: StructureType;
  service_id: string | null;
  service_name: string | null;
  /** [from_contact_id, request_id] when the viewer may see the sender's records, else null. */
  linked: (string | null)[] | null;
  parent_referral_id: string | null;
  bouquet: number;
  message: string | null;
  categories: DataCategory[];
  status: ReferralStatus;
  sent_at: Date;
  received_at: Date | null;
  answered_at: Date | null;
  refusal_reason: RefusalReason | null;
  redirected_id: string | null;
  redirected_name: string | null;
  redirected_type: StructureType | null;
  redirect_referral_id: string | null;
  in_charge_kind: InChargeKind | null;
  in_charge_at: Date | null;
  closed_at: Date | null;
  outcome: ReferralOutcome | null;
  broken_link: number | null;
  status_comment: string | null;
  cancelled_at: Date | null;
  reminded_at: Date | null;
  expired_at: Date | null;
}

interface EventRow {
  referral_id: string;
  status: ReferralEvent['status'];
  at: Date;
  user_name: string | null;
  structure_name: string | null;
}

/** Orientations in the `Referral` shape, newest first, with their events (oldest first). */
export async function findReferrals(manager: EntityManager, viewer: ReferralViewer, filter: ReferralFilter): Promise<Referral[]> {
  const params: unknown[] = [viewer.tenantId, viewer.structureId];
  const where = ['r.tenant_id = $1'];
  const next = () => params.length + 1;
  const splice = (condition: SqlCondition) => {
    params.push(...condition.params);
    return condition.sql;
  };

  if (filter.scope === 'party') where.push('(r.from_structure_id = $2 OR r.to_structure_id = $2)');
  if (filter.scope === 'inbox') where.push('r.to_structure_id = $2');
  if (filter.scope === 'sent') where.push('r.from_structure_id = $2');
  if (filter.scope === 'person') {
    where.push(`(r.to_structure_id = $2 OR ${splice(viewer.recordVisible('r.person_id', 'r.from_structure_id', 'needs_requests', next()))})`);
  }
  if (filter.ids) {
    params.push(filter.ids);
    where.push(`r.id = ANY($${params.length}::uuid[])`);
  }
  if (filter.personId) {
    params.push(filter.personId);
    where.push(`r.person_id = $${params.length}`);
  }
  if (filter.status) {
    params.push(filter.status);
    where.push(`r.status = $${params.length}`);
  }
  if (filter.bouquet !== undefined) {
    params.push(filter.bouquet);
    where.push(`r.bouquet = $${params.length}`);
  }
  if (filter.olderThanDays !== undefined) {
    params.push(filter.olderThanDays);
    where.push(`r.sent_at < now() - make_interval(days => $${params.length}::int)`);
  }
  // The person's name only where the policy shows it; the contact and request linked only where
  // the viewer may see the sender's records of the person (ids of records it could not open otherwise).
  // Each condition appears once in the select list, evaluated for the rows of the page only: the page
  // is chosen first, in a subquery (its joins are to rows every orientation has: NOT NULL foreign
  // keys), so that the planner costs the conditions for those rows — on the whole list it would
  // estimate thousands of rows before the LIMIT and read all the persons a structure follows, and all
  // its consents, into hash tables (~200 ms for a large structure's inbox) instead of 50 index probes.
  const nameShown = splice(viewer.nameVisible('p', next()));
  const recordsShown = splice(viewer.recordVisible('r.person_id', 'r.from_structure_id', 'needs_requests', next()));
  let page = '';
  if (filter.limit !== undefined) {
    params.push(filter.limit, filter.offset ?? 0);
    page = `LIMIT $${params.length - 1} OFFSET $${params.length}`;
  }

  const rows: ReferralRow[] = await manager.query(
    `SELECT r.id, r.person_id,
            CASE WHEN ${nameShown} THEN ARRAY[p.usage_last_name, p.birth_last_name, p.first_names] END AS names,
            r.from_structure_id, fs.name AS from_name, fs.type AS from_type,
            CASE WHEN fu.id IS NOT NULL THEN concat_ws(' ', fu.first_name, fu.last_name) END AS from_user_name,
            r.to_structure_id, ts.name AS to_name, ts.type AS to_type,
            sv.id AS service_id, sv.name AS service_name,
            CASE WHEN ${recordsShown} THEN ARRAY[r.from_contact_id, r.request_id]::text[] END AS linked,
            r.parent_referral_id, r.bouquet, r.message, r.categories, r.status,
            r.sent_at, r.received_at, r.answered_at, r.refusal_reason,
            rs.id AS redirected_id, rs.name AS redirected_name, rs.type AS redirected_type,
            (SELECT c.id FROM referral c WHERE c.parent_referral_id = r.id ORDER BY c.sent_at, c.id LIMIT 1) AS redirect_referral_id,
            r.in_charge_kind, r.in_charge_at, r.closed_at, r.outcome, r.broken_link, r.status_comment,
            r.cancelled_at, r.reminded_at, r.expired_at
       FROM (SELECT r.* FROM referral r WHERE ${where.join(' AND ')}${page ? ` ORDER BY r.sent_at DESC, r.id ${page}` : ''}) r
       JOIN person p ON p.id = r.person_id
       JOIN structure fs ON fs.id = r.from_structure_id
       LEFT JOIN app_user fu ON fu.id = r.from_user_id
       JOIN structure ts ON ts.id = r.to_structure_id
       LEFT JOIN service sv ON sv.id = r.to_service_id
       LEFT JOIN structure rs ON rs.id = r.redirected_to_structure_id
      ORDER BY r.sent_at DESC, r.id`,
    params,
  );
  const events = await findEvents(manager, rows.map((r) => r.id));
  return rows.map((r) => toReferral(r, events.get(r.id) ?? [], viewer.structureId));
}

async function findEvents(manager: EntityManager, referralIds: string[]): Promise<Map<string, ReferralEvent[]>> {
  const out = new Map<string, ReferralEvent[]>();
  if (referralIds.length === 0) return out;
  const rows: EventRow[] = await manager.query(
    `SELECT e.referral_id, e.status, e.at,
            CASE WHEN u.id IS NOT NULL THEN concat_ws(' ', u.first_name, u.last_name) END AS user_name, s.name AS structure_name
       FROM referral_event e
       LEFT JOIN app_user u ON u.id = e.user_id
       LEFT JOIN structure s ON s.id = e.structure_id
      WHERE e.referral_id = ANY($1::uuid[])
      ORDER BY e.at, e.id`,
    [referralIds],
  );
  for (const e of rows) {
    const list = out.get(e.referral_id) ?? [];
    list.push({ status: e.status, at: e.at.toISOString(), userName: e.user_name, structureName: e.structure_name });
    out.set(e.referral_id, list);
  }
  return out;
}

/** The orientation's state, locked for a change in the current transaction. */
export interface LockedReferral {
  id: string;
  personId: string;
  personAnonymized: boolean;
  fromStructureId: string;
  toStructureId: string;
  status: ReferralStatus;
  sentAt: Date;
  bouquet: NeedBouquetCode;
  message: string | null;
  categories: DataCategory[];
  requestId: string | null;
}

export async function lockReferral(manager: EntityManager, tenantId: string, id: string): Promise<LockedReferral | null> {
  const rows: {
    id: string;
    person_id: string;
    anonymized: boolean;
    from_structure_id: string;
    to_structure_id: string;
    status: ReferralStatus;
    sent_at: Date;
    bouquet: number;
    message: string | null;
    categories: DataCategory[];
    request_id: string | null;
  }[] = await manager.query(
    `SELECT r.id, r.person_id, p.anonymized_at IS NOT NULL AS anonymized, r.from_structure_id, r.to_structure_id, r.status,
            r.sent_at, r.bouquet, r.message, r.categories, r.request_id
       FROM referral r JOIN person p ON p.id = r.person_id
      WHERE r.tenant_id = $1 AND r.id = $2
        FOR UPDATE OF r`,
    [tenantId, id],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    personId: r.person_id,
    personAnonymized: r.anonymized,
    fromStructureId: r.from_structure_id,
    toStructureId: r.to_structure_id,
    status: r.status,
    sentAt: r.sent_at,
    bouquet: r.bouquet as NeedBouquetCode,
    message: r.message,
    categories: r.categories,
    requestId: r.request_id,
  };
}

/** The orientation recorded under this client request id, if any (idempotent create). */
export async function findByClientRequestId(manager: EntityManager, tenantId: string, clientRequestId: string): Promise<{ id: string; fromStructureId: string } | null> {
  const rows: { id: string; from_structure_id: string }[] = await manager.query(
    `SELECT id, from_structure_id FROM referral WHERE tenant_id = $1 AND client_request_id = $2`,
    [tenantId, clientRequestId],
  );
  return rows[0] ? { id: rows[0].id, fromStructureId: rows[0].from_structure_id } : null;
}

/** One step of the loop (append-only). `at` defaults to the transaction's clock. */
export async function insertEvent(
  manager: EntityManager,
  event: { tenantId: string; referralId: string; status: ReferralEvent['status']; userId: string; structureId: string },
): Promise<void> {
  await manager.query(`INSERT INTO referral_event (tenant_id, referral_id, status, user_id, structure_id) VALUES ($1, $2, $3, $4, $5)`, [
    event.tenantId,
    event.referralId,
    event.status,
    event.userId,
    event.structureId,
  ]);
}

function toReferral(r: ReferralRow, events: ReferralEvent[], viewerStructureId: string): Referral {
  const ref = (id: string, name: string, type: StructureType) => ({ id, name, type });
  const [usageLastName, birthLastName, firstNames] = r.names ?? [null, null, null];
  const [fromContactId, requestId] = r.linked ?? [null, null];
  return {
    id: r.id,
    personId: r.person_id,
    personName: personDisplayName({ usageLastName, birthLastName, firstNames }),
    from: { ...ref(r.from_structure_id, r.from_name, r.from_type), userName: r.from_user_name },
    to: ref(r.to_structure_id, r.to_name, r.to_type),
    service: r.service_id && r.service_name !== null ? { id: r.service_id, name: r.service_name } : null,
    fromContactId,
    requestId,
    parentReferralId: r.parent_referral_id,
    bouquet: r.bouquet as NeedBouquetCode,
    message: r.message,
    categories: r.categories,
    status: r.status,
    sentAt: r.sent_at.toISOString(),
    receivedAt: r.received_at?.toISOString() ?? null,
    answeredAt: r.answered_at?.toISOString() ?? null,
    refusalReason: r.refusal_reason,
    redirectedTo: r.redirected_id && r.redirected_name !== null && r.redirected_type ? ref(r.redirected_id, r.redirected_name, r.redirected_type) : null,
    redirectReferralId: r.redirect_referral_id,
    inChargeKind: r.in_charge_kind,
    inChargeAt: r.in_charge_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    outcome: r.outcome,
    brokenLink: r.broken_link as AccessibilityLinkCode | null,
    statusComment: r.status_comment,
    cancelledAt: r.cancelled_at?.toISOString() ?? null,
    remindedAt: r.reminded_at?.toISOString() ?? null,
    expiredAt: r.expired_at?.toISOString() ?? null,
    events,
    allowedTransitions: allowedTransitions(r.status, sideOf({ fromStructureId: r.from_structure_id, toStructureId: r.to_structure_id }, viewerStructureId)),
  };
}
