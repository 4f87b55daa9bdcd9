import type { AppNotification, NotificationEntityType, NotificationKind, Role } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';

/** One notification to insert, for the users chosen by the query it is spliced into. */
export interface NotificationRow {
  tenantId: string;
  kind: NotificationKind;
  entityType: NotificationEntityType;
  entityId: string;
  fromStructureId: string | null;
  detail: string | null;
  /** Never notified: the user who acted. */
  actorUserId: string | null;
  /** Skip the users who still have an unread notification of this kind for this entity. */
  skipIfUnread: boolean;
}

const INSERT_COLUMNS = `INSERT INTO notification (tenant_id, user_id, kind, entity_type, entity_id, from_structure_id, to_structure_id, detail)`;
const rowParams = (row: NotificationRow) => [row.tenantId, row.kind, row.entityType, row.entityId, row.fromStructureId, row.detail, row.actorUserId];
/** The `skipIfUnread` condition for the candidate user `userColumn` ($2 kind, $4 entity). */
const unlessUnread = (row: NotificationRow, userColumn: string) =>
  row.skipIfUnread
    ? `AND NOT EXISTS (SELECT 1 FROM notification x WHERE x.user_id = ${userColumn} AND x.kind = $2::text AND x.entity_id = $4::uuid AND x.read_at IS NULL)`
    : '';

/**
 * One row per active agent of `structureId` with one of `roles` (deactivated memberships excluded),
 * but the actor. Returns the users notified.
 */
export async function insertForStructure(manager: EntityManager, row: NotificationRow, structureId: string, roles: readonly Role[]): Promise<string[]> {
  const rows: { user_id: string }[] = await manager.query(
    `${INSERT_COLUMNS}
     SELECT $1::uuid, m.user_id, $2::text, $3::text, $4::uuid, $5::uuid, m.structure_id, $6::text
       FROM membership m
      WHERE m.tenant_id = $1::uuid AND m.structure_id = $8::uuid AND m.deactivated_at IS NULL AND m.role = ANY($9::text[])
        AND m.user_id IS DISTINCT FROM $7::uuid ${unlessUnread(row, 'm.user_id')}
     RETURNING user_id`,
    [...rowParams(row), structureId, roles],
  );
  return rows.map((r) => r.user_id);
}

/** `userIds` who still hold an active membership (in `memberOf`, when given), actor included. */
export async function activeUsers(manager: EntityManager, tenantId: string, userIds: string[], memberOf: string | null): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    `SELECT u.id FROM app_user u
      WHERE u.tenant_id = $1 AND u.id = ANY($2::uuid[])
        AND EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id AND m.tenant_id = $1 AND m.deactivated_at IS NULL
                      AND ($3::uuid IS NULL OR m.structure_id = $3::uuid))`,
    [tenantId, userIds, memberOf],
  );
  return rows.map((r) => r.id);
}

/** One row per user of `userIds` (already checked active), but the actor. Returns the users notified. */
export async function insertForUsers(manager: EntityManager, row: NotificationRow, userIds: string[], toStructureId: string | null): Promise<string[]> {
  const rows: { user_id: string }[] = await manager.query(
    `${INSERT_COLUMNS}
     SELECT $1::uuid, u.id, $2::text, $3::text, $4::uuid, $5::uuid, $8::uuid, $6::text
       FROM unnest($9::uuid[]) AS u(id)
      WHERE u.id IS DISTINCT FROM $7::uuid ${unlessUnread(row, 'u.id')}
     RETURNING user_id`,
    [...rowParams(row), toStructureId, [...new Set(userIds)]],
  );
  return rows.map((r) => r.user_id);
}

interface NotificationDbRow {
  id: string;
  kind: NotificationKind;
  entity_type: NotificationEntityType;
  entity_id: string;
  from_structure_name: string | null;
  to_structure_id: string | null;
  to_structure_name: string | null;
  detail: string | null;
  created_at: Date;
  read_at: Date | null;
}

const SELECT_NOTIFICATION = `
  SELECT n.id, n.kind, n.entity_type, n.entity_id, fs.name AS from_structure_name, n.to_structure_id, ts.name AS to_structure_name,
         n.detail, n.created_at, n.read_at
    FROM notification n
    LEFT JOIN structure fs ON fs.id = n.from_structure_id
    LEFT JOIN structure ts ON ts.id = n.to_structure_id`;

/** The user's notifications, newest first. */
export async function findForUser(
  manager: EntityManager,
  recipient: { tenantId: string; userId: string },
  options: { unreadOnly: boolean; limit: number },
): Promise<AppNotification[]> {
  const rows: NotificationDbRow[] = await manager.query(
    `${SELECT_NOTIFICATION}
      WHERE n.tenant_id = $1 AND n.user_id = $2 ${options.unreadOnly ? 'AND n.read_at IS NULL' : ''}
      ORDER BY n.created_at DESC, n.id DESC
      LIMIT $3`,
    [recipient.tenantId, recipient.userId, options.limit],
  );
  return rows.map(toNotification);
}

export async function countUnread(manager: EntityManager, recipient: { tenantId: string; userId: string }): Promise<number> {
  const [{ n }]: { n: number }[] = await manager.query(
    `SELECT count(*)::int AS n FROM notification WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL`,
    [recipient.tenantId, recipient.userId],
  );
  return n;
}

/** Marks one of the user's notifications read (kept as it was if already read). Null when it is not theirs. */
export async function markRead(manager: EntityManager, recipient: { tenantId: string; userId: string }, id: string): Promise<AppNotification | null> {
  const updated: { id: string }[] = await manager.query(
    // WITH … SELECT: TypeORM answers a top-level UPDATE with [rows, count], not the rows.
    `WITH marked AS (UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = $1 AND tenant_id = $2 AND user_id = $3 RETURNING id)
     SELECT id FROM marked`,
    [id, recipient.tenantId, recipient.userId],
  );
  if (updated.length === 0) return null;
  const rows: NotificationDbRow[] = await manager.query(`${SELECT_NOTIFICATION} WHERE n.id = $1`, [id]);
  return rows[0] ? toNotification(rows[0]) : null;
}

export async function markAllRead(manager: EntityManager, recipient: { tenantId: string; userId: string }): Promise<number> {
  const rows: unknown[] = await manager.query(
    `WITH marked AS (UPDATE notification SET read_at = now() WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL RETURNING 1)
     SELECT 1 FROM marked`,
    [recipient.tenantId, recipient.userId],
  );
  return rows.length;
}

function toNotification(r: NotificationDbRow): AppNotification {
  return {
    id: r.id,
    kind: r.kind,
    entityType: r.entity_type,
    entityId: r.entity_id,
    fromStructureName: r.from_structure_name,
    toStructureId: r.to_structure_id,
    toStructureName: r.to_structure_name,
    detail: r.detail,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
  };
}
