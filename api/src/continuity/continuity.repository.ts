import type { ContinuityAlertKind, ContinuityThresholds, TerritoryCode } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import { SqlParams } from '../database/sql-params';
import type { SqlCondition } from '../persons/person-access.service';

/**
 * Raw SQL of the continuity alerts (docs/continuity.md). Every open gap of the parcours is a row of
 * `continuity_gap`, kept exact by triggers in the transaction that writes the data (migration
 * ContinuityGaps1765000000000); an alert is a gap older than the tenant's delay for its kind, so the
 * alerts at any instant are an index range of that table, counted without being computed. They are
 * joined to the journal (`continuity_alert`) for their acknowledgement. The access policy's conditions
 * (who may see the person) come from PersonAccessService, spliced in by the caller; they are never
 * written here.
 */

/** Which current alerts: a tenant, some kinds, each kind's cutoff, and the filters on the structure that must act. */
export interface AlertScope {
  tenantId: string;
  kinds: readonly ContinuityAlertKind[];
  /** gap_since <= cutoff: the alert's delay has run out (cutoffsAt). */
  cutoffs: Record<ContinuityAlertKind, Date>;
  /** The structure that must act (a structure's agents: theirs; a coordinator's filter). */
  structureId?: string;
  /** Structures located in this EPCI or commune. */
  territory?: TerritoryCode;
  /** One alert's subject (its key). */
  subjectId?: string;
}

/**
 * The scope's current alerts (columns kind, subject_id, gap_since, person_id, structure_id,
 * counterpart_id, bouquet, referral_id, request_id) and the parameter holding the tenant: each kind
 * past its cutoff — with the latest cutoff as a range bound the indexes use
 * (continuity_gap_structure_idx for a structure or a territory's structures, continuity_gap_tenant_idx
 * for the tenant) — and the scope's filters. No kind asked: an empty set of the same shape.
 */
export function currentAlerts(scope: AlertScope, p: SqlParams): { sql: string; tenant: string } {
  const tenant = p.add(scope.tenantId);
  const where = [`g.tenant_id = ${tenant}`];
  if (scope.kinds.length === 0) where.push('false');
  else {
    const latest = new Date(Math.max(...scope.kinds.map((k) => scope.cutoffs[k].getTime())));
    where.push(`g.gap_since <= ${p.add(latest)}::timestamptz`);
    where.push(`(${scope.kinds.map((k) => `(g.kind = ${p.add(k)} AND g.gap_since <= ${p.add(scope.cutoffs[k])}::timestamptz)`).join(' OR ')})`);
  }
  if (scope.structureId) where.push(`g.structure_id = ${p.add(scope.structureId)}`);
  if (scope.territory?.kind === 'commune') {
    where.push(`g.structure_id IN (SELECT ts.id FROM structure ts WHERE ts.tenant_id = ${tenant} AND ts.commune_insee = ${p.add(scope.territory.code)})`);
  }
  if (scope.territory?.kind === 'epci') {
    where.push(`g.structure_id IN (SELECT ts.id FROM structure ts JOIN commune tc ON tc.tenant_id = ts.tenant_id AND tc.insee_code = ts.commune_insee
                                   WHERE ts.tenant_id = ${tenant} AND tc.epci_code = ${p.add(scope.territory.code)})`);
  }
  if (scope.subjectId) where.push(`g.subject_id = ${p.add(scope.subjectId)}`);
  const sql = `SELECT g.kind::text AS kind, g.subject_id, g.gap_since, g.person_id, g.structure_id, g.counterpart_id, g.bouquet, g.referral_id, g.request_id
      FROM continuity_gap g
     WHERE ${where.join('\n       AND ')}`;
  return { sql, tenant };
}

/**
 * The journal row of a current alert (its acknowledgement), by the unique (kind, subject_id, gap_since):
 * among the open rows of the structure that must act only. A row the journal closed while its gap was
 * in fact open (a threshold raised then lowered) is reopened by the next run (15 minutes) or by an
 * acknowledgement.
 */
const JOURNAL_JOIN = (alerts: string, tenant: string) =>
  `LEFT JOIN continuity_alert ca ON ca.kind = ${alerts}.kind AND ca.subject_id = ${alerts}.subject_id AND ca.gap_since = ${alerts}.gap_since
                                AND ca.tenant_id = ${tenant} AND ca.structure_id = ${alerts}.structure_id AND ca.closed_at IS NULL`;

/** The acknowledged alerts still open in the journal (few: continuity_alert_acknowledged_idx), as `k`. */
const ACKNOWLEDGED_ROWS = (tenant: string) =>
  `(SELECT kind, subject_id, gap_since, structure_id FROM continuity_alert
     WHERE tenant_id = ${tenant} AND closed_at IS NULL AND acknowledged_at IS NOT NULL) k`;
const ACKNOWLEDGED_MATCH = (alerts: string) =>
  `k.kind = ${alerts}.kind AND k.subject_id = ${alerts}.subject_id AND k.gap_since = ${alerts}.gap_since AND k.structure_id = ${alerts}.structure_id`;
/** "This alert is acknowledged" (the planner makes it a hash semi- or anti-join on the few acknowledged rows). */
const ACKNOWLEDGED = (alerts: string, tenant: string) => `EXISTS (SELECT 1 FROM ${ACKNOWLEDGED_ROWS(tenant)} WHERE ${ACKNOWLEDGED_MATCH(alerts)})`;

export type AlertState = 'open' | 'acknowledged' | 'all';

export interface AlertPageOptions {
  state: AlertState;
  limit: number;
  offset: number;
  /** One alert: its gap's start (with AlertScope.subjectId and its kind). */
  gapSince?: Date;
}

/** The access policy's conditions for a structure's agent: "may see something of person `alias`", "may see them by name". */
export interface PersonConditions {
  accessible: (alias: string, firstParam: number) => SqlCondition;
  visible: (alias: string, firstParam: number) => SqlCondition;
}

export interface AlertRow {
  kind: ContinuityAlertKind;
  subject_id: string;
  gap_since: Date;
  person_id: string;
  structure_id: string;
  structure_name: string;
  counterpart_id: string | null;
  counterpart_name: string | null;
  bouquet: number | null;
  referral_id: string | null;
  request_id: string | null;
  journal_id: string | null;
  acknowledged_at: Date | null;
  ack_user_id: string | null;
  ack_user_name: string | null;
  ack_structure_name: string | null;
  ack_comment: string | null;
  /** Only with PersonConditions: the caller may see something of the person. */
  person_shown?: boolean;
  /** Only with PersonConditions: [usage, birth, first names] when the caller may see the name, else null. */
  names?: (string | null)[] | null;
}

/**
 * A page of the scope's current alerts, oldest gap first, and their total: two statements, each on
 * the gaps' indexes — the count never reads a row of the page, the page stops at its limit. Without
 * `persons` (coordinators), no column of the person is read at all; with it, the policy's conditions
 * are evaluated for the page's rows only.
 */
export async function findAlerts(
  manager: EntityManager,
  scope: AlertScope,
  options: AlertPageOptions,
  persons: PersonConditions | null,
): Promise<{ total: number; rows: AlertRow[] }> {
  const stateCondition = (p: SqlParams, tenant: string): string[] => {
    const where: string[] = [];
    if (options.state !== 'all') where.push(`${options.state === 'open' ? 'NOT ' : ''}${ACKNOWLEDGED('a', tenant)}`);
    if (options.gapSince) where.push(`a.gap_since = ${p.add(options.gapSince)}::timestamptz`);
    return where.length > 0 ? [`WHERE ${where.join(' AND ')}`] : [];
  };

  const c = new SqlParams();
  const counted = currentAlerts(scope, c);
  const [{ total }]: { total: number }[] = await manager.query(
    `SELECT count(*)::int AS total FROM (${counted.sql}) a ${stateCondition(c, counted.tenant).join('')}`,
    c.values,
  );
  if (total === 0 || options.offset >= total) return { total, rows: [] };

  const p = new SqlParams();
  const { sql: alerts, tenant } = currentAlerts(scope, p);
  const where = stateCondition(p, tenant).join('');
  const limit = p.add(options.limit);
  const offset = p.add(options.offset);
  const personColumns = persons
    ? `,
            CASE WHEN ${p.splice((n) => persons.accessible('p', n))} THEN true ELSE false END AS person_shown,
            CASE WHEN ${p.splice((n) => persons.visible('p', n))} THEN ARRAY[p.usage_last_name, p.birth_last_name, p.first_names] END AS names`
    : '';
  const rows: AlertRow[] = await manager.query(
    `WITH page AS MATERIALIZED (
       SELECT a.* FROM (${alerts}) a ${where}
        ORDER BY a.gap_since, a.kind, a.subject_id LIMIT ${limit} OFFSET ${offset}
     )
     SELECT pg.kind, pg.subject_id, pg.gap_since, pg.person_id, pg.structure_id, s.name AS structure_name,
            pg.counterpart_id, cs.name AS counterpart_name, pg.bouquet, pg.referral_id, pg.request_id,
            ca.id AS journal_id, ca.acknowledged_at, ca.acknowledged_by_user_id AS ack_user_id,
            CASE WHEN au.id IS NOT NULL THEN concat_ws(' ', au.first_name, au.last_name) END AS ack_user_name,
            aus.name AS ack_structure_name, ca.acknowledgement_comment AS ack_comment${personColumns}
       FROM page pg
       ${JOURNAL_JOIN('pg', tenant)}
       JOIN structure s ON s.id = pg.structure_id
       LEFT JOIN structure cs ON cs.id = pg.counterpart_id
       LEFT JOIN app_user au ON au.id = ca.acknowledged_by_user_id
       LEFT JOIN structure aus ON aus.id = ca.acknowledged_by_structure_id
       ${persons ? 'LEFT JOIN person p ON p.id = pg.person_id' : ''}
      ORDER BY pg.gap_since, pg.kind, pg.subject_id`,
    p.values,
  );
  return { total, rows };
}

export interface SummaryRow {
  structure_id: string;
  structure_name: string;
  commune_insee: string | null;
  epci_code: string | null;
  kind: ContinuityAlertKind;
  n: number;
  acknowledged: number;
}

/** Counts of the scope's current alerts by structure that must act and kind, with how many are acknowledged. */
export async function countAlerts(manager: EntityManager, scope: AlertScope): Promise<SummaryRow[]> {
  const p = new SqlParams();
  const { sql: alerts, tenant } = currentAlerts(scope, p);
  return manager.query(
    `WITH alerts AS (${alerts}
     ),
     counts AS (
       SELECT a.structure_id, a.kind, count(*)::int AS n, count(k.kind)::int AS acknowledged
         FROM alerts a
         LEFT JOIN ${ACKNOWLEDGED_ROWS(tenant)} ON ${ACKNOWLEDGED_MATCH('a')}
        GROUP BY a.structure_id, a.kind
     )
     SELECT c.structure_id, s.name AS structure_name, s.commune_insee, cm.epci_code, c.kind, c.n, c.acknowledged
       FROM counts c
       JOIN structure s ON s.id = c.structure_id
       LEFT JOIN commune cm ON cm.tenant_id = s.tenant_id AND cm.insee_code = s.commune_insee
      ORDER BY s.name, s.id, c.kind`,
    p.values,
  );
}

export interface JournalCounts {
  /** Alerts seen for the first time (a row inserted, first_seen_at = now). */
  opened: number;
  /** Rows of alerts still current that were updated: reopened (the same gap current again) or moved (structure, person after a merge). */
  updated: number;
  /** Rows of alerts no longer current, closed (closed_at = now), acknowledged or not. */
  closed: number;
}

/**
 * Brings the tenant's journal up to date in one statement (one snapshot): inserts the current alerts
 * not journaled yet, reopens or moves those whose row changed, and closes the open rows whose
 * (kind, subject, gap) is no longer current. Idempotent for a given state of the data.
 */
export async function writeJournal(manager: EntityManager, scope: AlertScope, now: Date): Promise<JournalCounts> {
  const p = new SqlParams();
  const { sql: alerts, tenant } = currentAlerts(scope, p);
  const at = `${p.add(now)}::timestamptz`;
  const rows: JournalCounts[] = await manager.query(
    `WITH current AS MATERIALIZED (${alerts}
     ),
     upserted AS (
       INSERT INTO continuity_alert AS ca (tenant_id, kind, subject_id, gap_since, person_id, structure_id, bouquet, first_seen_at)
       SELECT ${tenant}, c.kind, c.subject_id, c.gap_since, c.person_id, c.structure_id, c.bouquet, ${at} FROM current c
       ON CONFLICT (kind, subject_id, gap_since) DO UPDATE
          SET closed_at = NULL, person_id = EXCLUDED.person_id, structure_id = EXCLUDED.structure_id, bouquet = EXCLUDED.bouquet
        WHERE ca.closed_at IS NOT NULL OR ca.person_id <> EXCLUDED.person_id OR ca.structure_id <> EXCLUDED.structure_id
           OR ca.bouquet IS DISTINCT FROM EXCLUDED.bouquet
       RETURNING (xmax = 0) AS inserted
     ),
     closed AS (
       UPDATE continuity_alert ca SET closed_at = greatest(${at}, ca.first_seen_at)
        WHERE ca.tenant_id = ${tenant} AND ca.closed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM current c WHERE c.kind = ca.kind AND c.subject_id = ca.subject_id AND c.gap_since = ca.gap_since)
       RETURNING 1
     )
     SELECT (SELECT count(*) FILTER (WHERE inserted) FROM upserted)::int AS opened,
            (SELECT count(*) FILTER (WHERE NOT inserted) FROM upserted)::int AS updated,
            (SELECT count(*) FROM closed)::int AS closed`,
    p.values,
  );
  return rows[0];
}

export interface Acknowledgement {
  tenantId: string;
  alert: Pick<AlertRow, 'kind' | 'subject_id' | 'gap_since' | 'person_id' | 'structure_id' | 'bouquet'>;
  userId: string;
  structureId: string | null;
  /** undefined: not given (a repeated acknowledgement changes nothing); null: none, or cleared. */
  comment: string | null | undefined;
  now: Date;
}

/**
 * Acknowledges a current alert: creates its journal row if the journal has not seen it yet, or stamps
 * the existing one. The first acknowledgement's date stays; a later one that gives a comment (null
 * clears it) replaces the comment and becomes its author. Returns the row's id.
 */
export async function upsertAcknowledgement(manager: EntityManager, a: Acknowledgement): Promise<string> {
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO continuity_alert AS ca (tenant_id, kind, subject_id, gap_since, person_id, structure_id, bouquet, first_seen_at,
                                         acknowledged_at, acknowledged_by_user_id, acknowledged_by_structure_id, acknowledgement_comment)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11)
     ON CONFLICT (kind, subject_id, gap_since) DO UPDATE SET
       closed_at = NULL, person_id = EXCLUDED.person_id, structure_id = EXCLUDED.structure_id, bouquet = EXCLUDED.bouquet,
       acknowledged_at = coalesce(ca.acknowledged_at, EXCLUDED.acknowledged_at),
       acknowledged_by_user_id = CASE WHEN ca.acknowledged_at IS NULL OR $12 THEN EXCLUDED.acknowledged_by_user_id ELSE ca.acknowledged_by_user_id END,
       acknowledged_by_structure_id = CASE WHEN ca.acknowledged_at IS NULL OR $12 THEN EXCLUDED.acknowledged_by_structure_id ELSE ca.acknowledged_by_structure_id END,
       acknowledgement_comment = CASE WHEN ca.acknowledged_at IS NULL OR $12 THEN EXCLUDED.acknowledgement_comment ELSE ca.acknowledgement_comment END
     RETURNING id`,
    [
      a.tenantId,
      a.alert.kind,
      a.alert.subject_id,
      a.alert.gap_since,
      a.alert.person_id,
      a.alert.structure_id,
      a.alert.bouquet,
      a.now,
      a.userId,
      a.structureId,
      a.comment ?? null,
      a.comment !== undefined,
    ],
  );
  return rows[0].id;
}

export async function findThresholdRows(manager: EntityManager, tenantId: string): Promise<{ kind: string; days: number }[]> {
  return manager.query(`SELECT kind, days FROM continuity_threshold WHERE tenant_id = $1`, [tenantId]);
}

/** Sets every kind's threshold of the tenant (one statement). */
export async function saveThresholds(manager: EntityManager, tenantId: string, userId: string, thresholds: ContinuityThresholds): Promise<void> {
  const kinds = Object.keys(thresholds) as ContinuityAlertKind[];
  await manager.query(
    `INSERT INTO continuity_threshold (tenant_id, kind, days, updated_at, updated_by_user_id)
     SELECT $1, t.kind, t.days, now(), $2 FROM unnest($3::text[], $4::int[]) AS t(kind, days)
     ON CONFLICT (tenant_id, kind) DO UPDATE SET days = EXCLUDED.days, updated_at = EXCLUDED.updated_at, updated_by_user_id = EXCLUDED.updated_by_user_id`,
    [tenantId, userId, kinds, kinds.map((k) => thresholds[k])],
  );
}
