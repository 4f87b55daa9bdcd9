import type { ContinuityAlertKind, ContinuityThresholds, TerritoryCode } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import { SqlParams } from '../database/sql-params';
import type { SqlCondition } from '../persons/person-access.service';

/**
 * Raw SQL of the continuity alerts (docs/continuity.md). The alerts are computed from the data at every
 * read — one set-based branch per kind, the caller's scope pushed into each branch so that each one
 * starts from its partial index — and joined to the journal (`continuity_alert`) for their
 * acknowledgement. The access policy's conditions (who may see the person) come from
 * PersonAccessService, spliced in by the caller; they are never written here.
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
  /** One alert's subject (its key): the branch reads that referral, request or person only. */
  subjectId?: string;
}

interface BranchContext {
  tenant: string;
  cutoff: string;
  /** The scope's conditions on the column holding the structure that must act, and on the subject's column. */
  scoped: (mustAct: string, subject: string) => string;
}

/** Merged (replaced by another file) and anonymised persons never produce alerts. */
const LIVE_PERSON = (alias: string, personColumn: string) =>
  `JOIN person ${alias} ON ${alias}.id = ${personColumn} AND ${alias}.merged_into_id IS NULL AND ${alias}.anonymized_at IS NULL`;

/** What a branch returns, in the columns every branch has. */
interface BranchColumns {
  subject: string;
  gap: string;
  person: string;
  mustAct: string;
  counterpart?: string;
  bouquet?: string;
  referral?: string;
  request?: string;
}

/**
 * The select list of a branch: kind, subject_id, gap_since (truncated to the millisecond: the key's
 * precision, so that a key read back finds its row), person_id, structure_id (the structure that must
 * act), counterpart_id, bouquet, referral_id, request_id.
 */
function select(kind: ContinuityAlertKind, c: BranchColumns): string {
  return `SELECT '${kind}'::text AS kind, ${c.subject} AS subject_id, date_trunc('milliseconds', ${c.gap}) AS gap_since, ${c.person} AS person_id,
           ${c.mustAct} AS structure_id, ${c.counterpart ?? 'NULL::uuid'} AS counterpart_id, ${c.bouquet ?? 'NULL::smallint'} AS bouquet,
           ${c.referral ?? 'NULL::uuid'} AS referral_id, ${c.request ?? 'NULL::uuid'} AS request_id`;
}

/** An orientation's columns: the receiver must act (the sender is the counterpart), or the sender must (`sender`). */
const referralColumns = (gap: string, mustAct: 'receiver' | 'sender'): BranchColumns => ({
  subject: 'r.id',
  gap,
  person: 'r.person_id',
  mustAct: mustAct === 'receiver' ? 'r.to_structure_id' : 'r.from_structure_id',
  counterpart: mustAct === 'receiver' ? 'r.from_structure_id' : 'r.to_structure_id',
  bouquet: 'r.bouquet',
  referral: 'r.id',
});

/**
 * One branch per kind. The indexes named are those of the whole tenant (a coordinator); for one
 * structure or a territory the planner may start from the structure's instead (referral_inbox_idx,
 * request_structure_open_idx, referent_structure_active_idx).
 */
const BRANCHES: Record<ContinuityAlertKind, (c: BranchContext) => string> = {
  // Sent (or received) and neither accepted nor refused: the receiver must answer. referral_unanswered_idx.
  referral_unanswered: (c) => `
    ${select('referral_unanswered', referralColumns('r.sent_at', 'receiver'))}
      FROM referral r ${LIVE_PERSON('p', 'r.person_id')}
     WHERE r.tenant_id = ${c.tenant} AND r.status IN ('sent','received') AND r.sent_at <= ${c.cutoff}${c.scoped('r.to_structure_id', 'r.id')}`,

  // Accepted, neither taken in charge (appointment, first contact) nor closed: the receiver must act. referral_accepted_idx.
  referral_not_in_charge: (c) => `
    ${select('referral_not_in_charge', referralColumns('r.answered_at', 'receiver'))}
      FROM referral r ${LIVE_PERSON('p', 'r.person_id')}
     WHERE r.tenant_id = ${c.tenant} AND r.status = 'accepted' AND r.answered_at <= ${c.cutoff}${c.scoped('r.to_structure_id', 'r.id')}`,

  // Refused (since the answer) or closed without success (since the closing), and since then no other
  // orientation of the person sent and no contact with them, by any structure: the sender must find
  // another path. Two branches, so that each starts from its partial index (referral_refused_idx,
  // referral_failed_idx); "since then" is a probe of person_activity and of referral_person_idx.
  // An outcome 'other' is not a failure the sender must follow up.
  referral_failed_no_followup: (c) => {
    const noFollowUp = (gap: string) => `
       AND NOT EXISTS (SELECT 1 FROM person_activity pa WHERE pa.person_id = r.person_id AND pa.last_contact_at > ${gap})
       AND NOT EXISTS (SELECT 1 FROM referral n WHERE n.person_id = r.person_id AND n.sent_at > ${gap} AND n.id <> r.id)`;
    return `
    ${select('referral_failed_no_followup', referralColumns('r.answered_at', 'sender'))}
      FROM referral r ${LIVE_PERSON('p', 'r.person_id')}
     WHERE r.tenant_id = ${c.tenant} AND r.status = 'refused'
       AND r.answered_at <= ${c.cutoff}${c.scoped('r.from_structure_id', 'r.id')}${noFollowUp('r.answered_at')}
    UNION ALL
    ${select('referral_failed_no_followup', referralColumns('r.closed_at', 'sender'))}
      FROM referral r ${LIVE_PERSON('p', 'r.person_id')}
     WHERE r.tenant_id = ${c.tenant} AND r.status = 'closed' AND r.outcome <> 'done' AND r.outcome IN ('not_done','unreachable','abandoned')
       AND r.closed_at <= ${c.cutoff}${c.scoped('r.from_structure_id', 'r.id')}${noFollowUp('r.closed_at')}`;
  },

  // A person with an open request and no active référent, since the later of their oldest open
  // request's opening and the end of their last référent's term. The structure of that oldest request
  // must act: the branch keeps, among the open requests in scope (request_open_since_idx), the one no
  // older open request of the person precedes (request_person_idx), so the scope never picks a younger one.
  request_without_referent: (c) => `
    ${select('request_without_referent', {
      subject: 'q.person_id',
      gap: 'greatest(q.opened_at, le.ended_at)',
      person: 'q.person_id',
      mustAct: 'q.structure_id',
      bouquet: 'q.bouquet',
      request: 'q.id',
    })}
      FROM request q ${LIVE_PERSON('p', 'q.person_id')}
      CROSS JOIN LATERAL (SELECT max(re.ended_at) AS ended_at FROM referent re WHERE re.person_id = q.person_id) le
     WHERE q.tenant_id = ${c.tenant} AND q.status IN ('open','in_progress') AND q.opened_at <= ${c.cutoff}${c.scoped('q.structure_id', 'q.person_id')}
       AND NOT EXISTS (SELECT 1 FROM request o WHERE o.person_id = q.person_id AND o.status IN ('open','in_progress')
                         AND (o.opened_at < q.opened_at OR (o.opened_at = q.opened_at AND o.id < q.id)))
       AND NOT EXISTS (SELECT 1 FROM referent ra WHERE ra.person_id = q.person_id AND ra.ended_at IS NULL)
       AND (le.ended_at IS NULL OR le.ended_at <= ${c.cutoff})`,

  // "Perdu de vue": an active référent, and no contact with the person (any structure) since the later
  // of the term's start and their last contact. The référent's structure must act. referent_structure_active_idx.
  accompaniment_lost_contact: (c) => `
    ${select('accompaniment_lost_contact', {
      subject: 're.person_id',
      gap: 'greatest(re.started_at, pa.last_contact_at)',
      person: 're.person_id',
      mustAct: 're.structure_id',
    })}
      FROM referent re ${LIVE_PERSON('p', 're.person_id')}
      LEFT JOIN person_activity pa ON pa.person_id = re.person_id
     WHERE re.tenant_id = ${c.tenant} AND re.ended_at IS NULL AND re.started_at <= ${c.cutoff}${c.scoped('re.structure_id', 're.person_id')}
       AND (pa.last_contact_at IS NULL OR pa.last_contact_at <= ${c.cutoff})`,

  // An open (or in progress) request, and no contact with the person (any structure) since the later of
  // its opening and their last contact. The request's structure must act. request_open_since_idx.
  request_without_contact: (c) => `
    ${select('request_without_contact', {
      subject: 'q.id',
      gap: 'greatest(q.opened_at, pa.last_contact_at)',
      person: 'q.person_id',
      mustAct: 'q.structure_id',
      bouquet: 'q.bouquet',
      request: 'q.id',
    })}
      FROM request q ${LIVE_PERSON('p', 'q.person_id')}
      LEFT JOIN person_activity pa ON pa.person_id = q.person_id
     WHERE q.tenant_id = ${c.tenant} AND q.status IN ('open','in_progress') AND q.opened_at <= ${c.cutoff}${c.scoped('q.structure_id', 'q.id')}
       AND (pa.last_contact_at IS NULL OR pa.last_contact_at <= ${c.cutoff})`,
};

/**
 * The current alerts of the scope: a UNION ALL of the kinds' branches, each with the scope's conditions
 * pushed into its WHERE (the planner cannot push them through a UNION of aggregates by itself).
 */
export function currentAlertsSql(scope: AlertScope, p: SqlParams): string {
  const tenant = p.add(scope.tenantId);
  const conditions: ((mustAct: string) => string)[] = [];
  if (scope.structureId) {
    const structure = p.add(scope.structureId);
    conditions.push((mustAct) => `${mustAct} = ${structure}`);
  }
  if (scope.territory?.kind === 'commune') {
    const commune = p.add(scope.territory.code);
    conditions.push((mustAct) => `${mustAct} IN (SELECT ts.id FROM structure ts WHERE ts.tenant_id = ${tenant} AND ts.commune_insee = ${commune})`);
  }
  if (scope.territory?.kind === 'epci') {
    const epci = p.add(scope.territory.code);
    conditions.push(
      (mustAct) => `${mustAct} IN (SELECT ts.id FROM structure ts JOIN commune tc ON tc.tenant_id = ts.tenant_id AND tc.insee_code = ts.commune_insee
                                   WHERE ts.tenant_id = ${tenant} AND tc.epci_code = ${epci})`,
    );
  }
  const subject = scope.subjectId ? p.add(scope.subjectId) : null;
  const scoped = (mustAct: string, subjectColumn: string) =>
    [...conditions.map((c) => c(mustAct)), ...(subject ? [`${subjectColumn} = ${subject}`] : [])].map((c) => `\n       AND ${c}`).join('');

  const branches = scope.kinds.map((kind) => BRANCHES[kind]({ tenant, cutoff: `${p.add(scope.cutoffs[kind])}::timestamptz`, scoped }));
  if (branches.length === 0) {
    // No kind asked: an empty set of the same shape.
    return `SELECT NULL::text AS kind, NULL::uuid AS subject_id, NULL::timestamptz AS gap_since, NULL::uuid AS person_id, NULL::uuid AS structure_id,
                   NULL::uuid AS counterpart_id, NULL::smallint AS bouquet, NULL::uuid AS referral_id, NULL::uuid AS request_id WHERE false`;
  }
  return branches.join('\n    UNION ALL');
}

/**
 * The journal row of a current alert (its acknowledgement), by the unique (kind, subject_id, gap_since):
 * among the open rows of the structure that must act only, so that the join reads a set as small as
 * the current alerts (continuity_alert_open_idx), never the journal's history. A row the journal
 * closed while its gap was in fact open (a threshold raised then lowered, a contact erased) is
 * reopened by the next run (15 minutes) or by an acknowledgement.
 */
const JOURNAL_JOIN = (alerts: string, tenant: string) =>
  `LEFT JOIN continuity_alert ca ON ca.kind = ${alerts}.kind AND ca.subject_id = ${alerts}.subject_id AND ca.gap_since = ${alerts}.gap_since
                                AND ca.tenant_id = ${tenant} AND ca.structure_id = ${alerts}.structure_id AND ca.closed_at IS NULL`;

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
 * A page of the scope's current alerts, oldest gap first, and their total (counted over the same
 * materialised set as the page: one evaluation of the branches). Without `persons` (coordinators), no
 * column of the person is read at all; with it, the policy's conditions are evaluated for the page's
 * rows only.
 */
export async function findAlerts(
  manager: EntityManager,
  scope: AlertScope,
  options: AlertPageOptions,
  persons: PersonConditions | null,
): Promise<{ total: number; rows: AlertRow[] }> {
  const p = new SqlParams();
  const alerts = currentAlertsSql(scope, p);
  const tenant = p.add(scope.tenantId);
  const where: string[] = [];
  if (options.state === 'open') where.push('ca.acknowledged_at IS NULL');
  if (options.state === 'acknowledged') where.push('ca.acknowledged_at IS NOT NULL');
  if (options.gapSince) where.push(`a.gap_since = ${p.add(options.gapSince)}::timestamptz`);
  const limit = p.add(options.limit);
  const offset = p.add(options.offset);
  const personColumns = persons
    ? `,
            CASE WHEN ${p.splice((n) => persons.accessible('p', n))} THEN true ELSE false END AS person_shown,
            CASE WHEN ${p.splice((n) => persons.visible('p', n))} THEN ARRAY[p.usage_last_name, p.birth_last_name, p.first_names] END AS names`
    : '';

  const rows: (AlertRow & { total: number })[] = await manager.query(
    `WITH alerts AS (${alerts}
     ),
     filtered AS (
       SELECT a.*, ca.id AS journal_id, ca.acknowledged_at, ca.acknowledged_by_user_id, ca.acknowledged_by_structure_id, ca.acknowledgement_comment
         FROM alerts a
         ${JOURNAL_JOIN('a', tenant)}
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ),
     page AS (
       SELECT * FROM filtered ORDER BY gap_since, kind, subject_id LIMIT ${limit} OFFSET ${offset}
     )
     SELECT c.total, pg.kind, pg.subject_id, pg.gap_since, pg.person_id, pg.structure_id, s.name AS structure_name,
            pg.counterpart_id, cs.name AS counterpart_name, pg.bouquet, pg.referral_id, pg.request_id,
            pg.journal_id, pg.acknowledged_at, pg.acknowledged_by_user_id AS ack_user_id,
            CASE WHEN au.id IS NOT NULL THEN concat_ws(' ', au.first_name, au.last_name) END AS ack_user_name,
            aus.name AS ack_structure_name, pg.acknowledgement_comment AS ack_comment${personColumns}
       FROM (SELECT count(*)::int AS total FROM filtered) c
       LEFT JOIN page pg ON true
       LEFT JOIN structure s ON s.id = pg.structure_id
       LEFT JOIN structure cs ON cs.id = pg.counterpart_id
       LEFT JOIN app_user au ON au.id = pg.acknowledged_by_user_id
       LEFT JOIN structure aus ON aus.id = pg.acknowledged_by_structure_id
       ${persons ? 'LEFT JOIN person p ON p.id = pg.person_id' : ''}
      ORDER BY pg.gap_since, pg.kind, pg.subject_id`,
    p.values,
  );
  const total = rows[0]?.total ?? 0;
  return { total, rows: rows.filter((r) => r.kind !== null) };
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
  const alerts = currentAlertsSql(scope, p);
  const tenant = p.add(scope.tenantId);
  return manager.query(
    `WITH alerts AS (${alerts}
     ),
     counts AS (
       SELECT a.structure_id, a.kind, count(*)::int AS n, count(ca.acknowledged_at)::int AS acknowledged
         FROM alerts a
         ${JOURNAL_JOIN('a', tenant)}
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
  const alerts = currentAlertsSql(scope, p);
  const tenant = p.add(scope.tenantId);
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
