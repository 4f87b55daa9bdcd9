import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'referral_unanswered','referral_not_in_charge','referral_failed_no_followup',
  'request_without_referent','accompaniment_lost_contact','request_without_contact'`;

/** Merged (replaced by another file) and anonymised persons have no gap. */
const LIVE_PERSON = (alias: string, column: string) =>
  `JOIN person ${alias} ON ${alias}.id = ${column} AND ${alias}.merged_into_id IS NULL AND ${alias}.anonymized_at IS NULL`;

/**
 * Every open gap of the parcours, whatever its age: one row per (kind, subject). An alert is a gap
 * older than the tenant's delay for its kind, so that the alerts at any instant are an index range
 * of `continuity_gap` (gap_since <= now − delay) instead of a computation of every gap. The six
 * branches are those decision 0014 defines (docs/continuity.md); each one depends on one person's rows
 * only, which is what lets continuity_gap_refresh(person) keep the table exact.
 */
const GAP_SOURCE = `
  -- Sent (or received), neither accepted nor refused: the receiver must answer.
  SELECT r.tenant_id, 'referral_unanswered'::varchar(32) AS kind, r.id AS subject_id, date_trunc('milliseconds', r.sent_at) AS gap_since,
         r.person_id, r.to_structure_id AS structure_id, r.from_structure_id AS counterpart_id, r.bouquet, r.id AS referral_id, NULL::uuid AS request_id
    FROM referral r ${LIVE_PERSON('p', 'r.person_id')}
   WHERE r.status IN ('sent','received')
  UNION ALL
  -- Accepted, neither taken in charge nor closed: the receiver must act.
  SELECT r.tenant_id, 'referral_not_in_charge', r.id, date_trunc('milliseconds', r.answered_at),
         r.person_id, r.to_structure_id, r.from_structure_id, r.bouquet, r.id, NULL
    FROM referral r ${LIVE_PERSON('p', 'r.person_id')}
   WHERE r.status = 'accepted' AND r.answered_at IS NOT NULL
  UNION ALL
  -- Refused (since the answer), and since then no other orientation of the person sent and no contact
  -- with them, by any structure: the sender must find another path.
  SELECT r.tenant_id, 'referral_failed_no_followup', r.id, date_trunc('milliseconds', r.answered_at),
         r.person_id, r.from_structure_id, r.to_structure_id, r.bouquet, r.id, NULL
    FROM referral r ${LIVE_PERSON('p', 'r.person_id')}
   WHERE r.status = 'refused' AND r.answered_at IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM person_activity pa WHERE pa.person_id = r.person_id AND pa.last_contact_at > r.answered_at)
     AND NOT EXISTS (SELECT 1 FROM referral n WHERE n.person_id = r.person_id AND n.sent_at > r.answered_at AND n.id <> r.id)
  UNION ALL
  -- Closed without success (since the closing), likewise. An outcome 'other' is not a failure to follow up.
  SELECT r.tenant_id, 'referral_failed_no_followup', r.id, date_trunc('milliseconds', r.closed_at),
         r.person_id, r.from_structure_id, r.to_structure_id, r.bouquet, r.id, NULL
    FROM referral r ${LIVE_PERSON('p', 'r.person_id')}
   WHERE r.status = 'closed' AND r.outcome IN ('not_done','unreachable','abandoned') AND r.closed_at IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM person_activity pa WHERE pa.person_id = r.person_id AND pa.last_contact_at > r.closed_at)
     AND NOT EXISTS (SELECT 1 FROM referral n WHERE n.person_id = r.person_id AND n.sent_at > r.closed_at AND n.id <> r.id)
  UNION ALL
  -- An open request and no active référent, since the later of the oldest open request's opening and
  -- the end of the last référent's term: the structure of that oldest request must act.
  SELECT q.tenant_id, 'request_without_referent', q.person_id, date_trunc('milliseconds', greatest(q.opened_at, le.ended_at)),
         q.person_id, q.structure_id, NULL, q.bouquet, NULL, q.id
    FROM request q ${LIVE_PERSON('p', 'q.person_id')}
    CROSS JOIN LATERAL (SELECT max(re.ended_at) AS ended_at FROM referent re WHERE re.person_id = q.person_id) le
   WHERE q.status IN ('open','in_progress')
     AND NOT EXISTS (SELECT 1 FROM request o WHERE o.person_id = q.person_id AND o.status IN ('open','in_progress')
                       AND (o.opened_at < q.opened_at OR (o.opened_at = q.opened_at AND o.id < q.id)))
     AND NOT EXISTS (SELECT 1 FROM referent ra WHERE ra.person_id = q.person_id AND ra.ended_at IS NULL)
  UNION ALL
  -- "Perdu de vue": an active référent, since the later of the term's start and the last contact with
  -- the person (any structure): the référent's structure must act.
  SELECT re.tenant_id, 'accompaniment_lost_contact', re.person_id, date_trunc('milliseconds', greatest(re.started_at, pa.last_contact_at)),
         re.person_id, re.structure_id, NULL, NULL, NULL, NULL
    FROM referent re ${LIVE_PERSON('p', 're.person_id')}
    LEFT JOIN person_activity pa ON pa.person_id = re.person_id
   WHERE re.ended_at IS NULL
  UNION ALL
  -- An open request, since the later of its opening and the last contact with the person (any
  -- structure): the request's structure must act.
  SELECT q.tenant_id, 'request_without_contact', q.id, date_trunc('milliseconds', greatest(q.opened_at, pa.last_contact_at)),
         q.person_id, q.structure_id, NULL, q.bouquet, NULL, q.id
    FROM request q ${LIVE_PERSON('p', 'q.person_id')}
    LEFT JOIN person_activity pa ON pa.person_id = q.person_id
   WHERE q.status IN ('open','in_progress')`;

const COLUMNS = 'tenant_id, kind, subject_id, gap_since, person_id, structure_id, counterpart_id, bouquet, referral_id, request_id';

/** The tables a gap is computed from, and the columns whose change may open, move or close one. */
const SOURCES: { table: string; columns: string }[] = [
  { table: 'contact', columns: 'person_id, occurred_at' },
  { table: 'referral', columns: 'person_id, status, sent_at, answered_at, closed_at, outcome, from_structure_id, to_structure_id, bouquet, tenant_id' },
  { table: 'request', columns: 'person_id, status, opened_at, structure_id, bouquet, tenant_id' },
  { table: 'referent', columns: 'person_id, started_at, ended_at, structure_id, tenant_id' },
];

/**
 * Continuity gaps, kept exact by triggers (decision 0014, "Performance"): at département scale the
 * live computation of every alert at every read costs about 65 µs per current alert — 3.7 s for the
 * 48,000 alerts of the Lille metropole — because an alert has to be computed to be counted.
 *
 * - `continuity_gap_source`: the view of every open gap (the six kinds' definitions, without delay);
 * - `continuity_gap`: that view materialised, one row per (kind, subject), with the indexes the lists,
 *   counts and pages read (an alert = gap_since <= now − the kind's delay);
 * - `continuity_gap_refresh(person)`: recomputes one person's gaps from the view and applies the
 *   difference (delete the gone, upsert the new or moved). Called by row triggers on contact,
 *   referral, request, referent (OLD and NEW person) and person (merged, anonymised), in the writing
 *   transaction: a gap closes when the data that closes it commits, whatever code path wrote it.
 *   A transaction-scoped advisory lock per person serialises two refreshes of the same person, so the
 *   second one reads what the first committed (READ COMMITTED: each statement of the function takes a
 *   new snapshot after the lock is granted).
 *
 * The partial indexes of migration Continuity1764900000000 that only the live branches read are
 * dropped: the gaps are now computed per person (referral_person_idx, request_person_idx,
 * referent_person_idx) or all at once (the initial fill, seed:scale).
 */
export class ContinuityGaps1765000000000 implements MigrationInterface {
  name = 'ContinuityGaps1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE VIEW continuity_gap_source AS ${GAP_SOURCE}`);
    await q.query(`
      CREATE TABLE continuity_gap (
        kind varchar(32) NOT NULL CHECK (kind IN (${KINDS})),
        -- The orientation (referral_*), the request (request_without_contact) or the person (the others).
        subject_id uuid NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        -- When the gap began, to the millisecond (the alert key's precision).
        gap_since timestamptz NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        -- The structure that must act, and the other one of an orientation.
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
        counterpart_id uuid REFERENCES structure(id) ON DELETE CASCADE,
        bouquet smallint CHECK (bouquet BETWEEN 1 AND 18),
        referral_id uuid,
        request_id uuid,
        PRIMARY KEY (kind, subject_id)
      )`);
    // A structure's alerts (and a territory's, its structures), oldest first; the counts (by kind, minus
    // the acknowledged: the alert's key) from the index alone.
    await q.query(`CREATE INDEX continuity_gap_structure_idx ON continuity_gap (tenant_id, structure_id, gap_since) INCLUDE (kind, subject_id)`);
    // The tenant's alerts (coordinators), oldest first.
    await q.query(`CREATE INDEX continuity_gap_tenant_idx ON continuity_gap (tenant_id, gap_since) INCLUDE (kind, structure_id, subject_id)`);
    await q.query(`CREATE INDEX continuity_gap_person_idx ON continuity_gap (person_id)`);
    // The acknowledged alerts still open, which the "open" and "acknowledged" states subtract or keep.
    await q.query(`CREATE INDEX continuity_alert_acknowledged_idx ON continuity_alert (tenant_id) INCLUDE (kind, subject_id, gap_since, structure_id)
                    WHERE closed_at IS NULL AND acknowledged_at IS NOT NULL`);

    await q.query(`
      CREATE FUNCTION continuity_gap_refresh(p_person uuid) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF p_person IS NULL THEN RETURN; END IF;
        -- Class 14: the per-person lock of every derived-data trigger (contact_interval_* takes it too).
        PERFORM pg_advisory_xact_lock(14, hashtext(p_person::text));
        WITH fresh AS MATERIALIZED (SELECT ${COLUMNS} FROM continuity_gap_source WHERE person_id = p_person),
        gone AS (
          DELETE FROM continuity_gap g
           WHERE g.person_id = p_person AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.kind = g.kind AND f.subject_id = g.subject_id)
        )
        INSERT INTO continuity_gap AS g (${COLUMNS})
        SELECT ${COLUMNS} FROM fresh
        ON CONFLICT (kind, subject_id) DO UPDATE
           SET tenant_id = EXCLUDED.tenant_id, gap_since = EXCLUDED.gap_since, person_id = EXCLUDED.person_id, structure_id = EXCLUDED.structure_id,
               counterpart_id = EXCLUDED.counterpart_id, bouquet = EXCLUDED.bouquet, referral_id = EXCLUDED.referral_id, request_id = EXCLUDED.request_id
         WHERE (g.tenant_id, g.gap_since, g.person_id, g.structure_id, g.counterpart_id, g.bouquet, g.referral_id, g.request_id)
               IS DISTINCT FROM (EXCLUDED.tenant_id, EXCLUDED.gap_since, EXCLUDED.person_id, EXCLUDED.structure_id,
                                 EXCLUDED.counterpart_id, EXCLUDED.bouquet, EXCLUDED.referral_id, EXCLUDED.request_id);
      END $$`);
    // A row of a source table written: the gaps of its person before and after.
    await q.query(`
      CREATE FUNCTION continuity_gap_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE','DELETE') THEN PERFORM continuity_gap_refresh(OLD.person_id); END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.person_id IS DISTINCT FROM OLD.person_id) THEN
          PERFORM continuity_gap_refresh(NEW.person_id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION continuity_gap_person_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM continuity_gap_refresh(NEW.id);
        RETURN NULL;
      END $$`);
    // Trigger names sort after contact_person_activity: AFTER triggers fire in name order, and the gaps
    // read person_activity, which that trigger writes.
    for (const { table, columns } of SOURCES) {
      await q.query(`
        CREATE TRIGGER continuity_gap_insert AFTER INSERT ON ${table}
        FOR EACH ROW WHEN (NEW.person_id IS NOT NULL) EXECUTE FUNCTION continuity_gap_changed()`);
      await q.query(`
        CREATE TRIGGER continuity_gap_change AFTER DELETE OR UPDATE OF ${columns} ON ${table}
        FOR EACH ROW EXECUTE FUNCTION continuity_gap_changed()`);
    }
    await q.query(`
      CREATE TRIGGER continuity_gap_person AFTER UPDATE OF merged_into_id, anonymized_at ON person
      FOR EACH ROW WHEN (NEW.merged_into_id IS DISTINCT FROM OLD.merged_into_id OR NEW.anonymized_at IS DISTINCT FROM OLD.anonymized_at)
      EXECUTE FUNCTION continuity_gap_person_changed()`);

    await q.query(`INSERT INTO continuity_gap (${COLUMNS}) SELECT ${COLUMNS} FROM continuity_gap_source`);

    await q.query(`DROP INDEX referral_accepted_idx`);
    await q.query(`DROP INDEX referral_refused_idx`);
    await q.query(`DROP INDEX referral_failed_idx`);
    await q.query(`DROP INDEX request_open_since_idx`);
    await q.query(`DROP INDEX referent_structure_active_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX referral_accepted_idx ON referral (tenant_id, answered_at) WHERE status = 'accepted'`);
    await q.query(`CREATE INDEX referral_refused_idx ON referral (tenant_id, answered_at) WHERE status = 'refused'`);
    await q.query(`CREATE INDEX referral_failed_idx ON referral (tenant_id, closed_at) WHERE status = 'closed' AND outcome <> 'done'`);
    await q.query(`CREATE INDEX request_open_since_idx ON request (tenant_id, opened_at) WHERE status IN ('open','in_progress')`);
    await q.query(`CREATE INDEX referent_structure_active_idx ON referent (tenant_id, structure_id) WHERE ended_at IS NULL`);
    await q.query(`DROP TRIGGER continuity_gap_person ON person`);
    for (const { table } of [...SOURCES].reverse()) {
      await q.query(`DROP TRIGGER continuity_gap_change ON ${table}`);
      await q.query(`DROP TRIGGER continuity_gap_insert ON ${table}`);
    }
    await q.query(`DROP FUNCTION continuity_gap_person_changed()`);
    await q.query(`DROP FUNCTION continuity_gap_changed()`);
    await q.query(`DROP FUNCTION continuity_gap_refresh(uuid)`);
    await q.query(`DROP INDEX continuity_alert_acknowledged_idx`);
    await q.query(`DROP TABLE continuity_gap`);
    await q.query(`DROP VIEW continuity_gap_source`);
  }
}
