import type { NeedBouquetCode, PersonRequest, RequestStatus } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import type { RecordVisibility } from '../persons/person-access.service';

interface RequestRow {
  id: string;
  person_id: string;
  structure_id: string;
  structure_name: string;
  bouquet: number;
  sub_need: string | null;
  description: string | null;
  status: RequestStatus;
  closed_reason: string | null;
  opened_at: Date;
  closed_at: Date | null;
  contact_ids: string[];
}

/** Which requests to read (conditions combine); always within one tenant. */
export interface RequestFilter {
  ids?: string[];
  personId?: string;
  /** The access policy for other structures' requests of a person ("besoins et demandes" shared by consent). */
  visibleTo?: RecordVisibility;
}

/** Requests in the `PersonRequest` shape, newest first, with the contacts that touched them (oldest first). */
export async function findRequests(manager: EntityManager, tenantId: string, filter: RequestFilter): Promise<PersonRequest[]> {
  const params: unknown[] = [tenantId];
  const where = ['r.tenant_id = $1'];
  if (filter.ids) {
    params.push(filter.ids);
    where.push(`r.id = ANY($${params.length}::uuid[])`);
  }
  if (filter.personId) {
    params.push(filter.personId);
    where.push(`r.person_id = $${params.length}`);
  }
  if (filter.visibleTo) {
    const shared = filter.visibleTo('r.person_id', 'r.structure_id', 'needs_requests', params.length + 1);
    params.push(...shared.params);
    where.push(shared.sql);
  }
  const rows: RequestRow[] = await manager.query(
    `SELECT r.id, r.person_id, r.structure_id, s.name AS structure_name, r.bouquet, r.sub_need, r.description,
            r.status, r.closed_reason, r.opened_at, r.closed_at,
            coalesce((SELECT array_agg(rc.contact_id::text ORDER BY c.occurred_at, c.id)
                        FROM request_contact rc JOIN contact c ON c.id = rc.contact_id
                       WHERE rc.request_id = r.id), '{}'::text[]) AS contact_ids
       FROM request r
       JOIN structure s ON s.id = r.structure_id
      WHERE ${where.join(' AND ')}
      ORDER BY r.opened_at DESC, r.id`,
    params,
  );
  return rows.map(toPersonRequest);
}

/** The request's status, person and structure, locked for an update in the current transaction. */
export async function lockRequest(
  manager: EntityManager,
  tenantId: string,
  id: string,
): Promise<{ id: string; personId: string; structureId: string; status: RequestStatus } | null> {
  const rows: { id: string; person_id: string; structure_id: string; status: RequestStatus }[] = await manager.query(
    `SELECT id, person_id, structure_id, status FROM request WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, id],
  );
  const r = rows[0];
  return r ? { id: r.id, personId: r.person_id, structureId: r.structure_id, status: r.status } : null;
}

function toPersonRequest(r: RequestRow): PersonRequest {
  return {
    id: r.id,
    personId: r.person_id,
    structureId: r.structure_id,
    structureName: r.structure_name,
    bouquet: r.bouquet as NeedBouquetCode,
    subNeed: r.sub_need,
    description: r.description,
    status: r.status,
    closedReason: r.closed_reason,
    openedAt: r.opened_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    contactIds: r.contact_ids,
  };
}
