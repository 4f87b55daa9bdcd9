import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Continuity of parcours (ruptures de parcours):
 *
 * - `continuity_threshold`: the tenant's delays, one row per alert kind (absent: the default of
 *   CONTINUITY_DEFAULT_THRESHOLDS in the contracts);
 * - `person_activity`: each person's last contact, kept by a trigger on `contact`, so that "no contact
 *   for N days" is an index range instead of a scan of every contact;
 * - `continuity_alert`: the journal of alerts (when each gap was first seen and when it closed) and their
 *   acknowledgements. The alerts themselves are computed from the data at every read, so that one
 *   disappears as soon as its gap closes; the journal only records their history;
 * - the partial indexes the alert queries use.
 */
export class Continuity1764900000000 implements MigrationInterface {
  name = 'Continuity1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const kinds = `'referral_unanswered','referral_not_in_charge','referral_failed_no_followup',
      'request_without_referent','accompaniment_lost_contact','request_without_contact'`;

    await q.query(`
      CREATE TABLE continuity_threshold (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        kind varchar(32) NOT NULL CHECK (kind IN (${kinds})),
        days smallint NOT NULL CHECK (days BETWEEN 1 AND 730),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        PRIMARY KEY (tenant_id, kind)
      )`);

    await q.query(`
      CREATE TABLE person_activity (
        person_id uuid PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        last_contact_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX person_activity_tenant_last_idx ON person_activity (tenant_id, last_contact_at)`);
    await q.query(`
      INSERT INTO person_activity (person_id, tenant_id, last_contact_at)
      SELECT person_id, tenant_id, max(occurred_at) FROM contact WHERE person_id IS NOT NULL GROUP BY person_id, tenant_id`);
    // A contact added, moved (merge) or removed (erasure) updates the last contact of the persons concerned.
    await q.query(`
      CREATE FUNCTION person_activity_refresh(p_person uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE last timestamptz; tenant uuid;
      BEGIN
        IF p_person IS NULL THEN RETURN; END IF;
        SELECT max(occurred_at) INTO last FROM contact WHERE person_id = p_person;
        SELECT tenant_id INTO tenant FROM person WHERE id = p_person;
        IF last IS NULL OR tenant IS NULL THEN
          DELETE FROM person_activity WHERE person_id = p_person;
        ELSE
          INSERT INTO person_activity (person_id, tenant_id, last_contact_at) VALUES (p_person, tenant, last)
          ON CONFLICT (person_id) DO UPDATE SET last_contact_at = EXCLUDED.last_contact_at;
        END IF;
      END $$`);
    await q.query(`
      CREATE FUNCTION contact_person_activity() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.person_id IS NOT NULL THEN
            INSERT INTO person_activity (person_id, tenant_id, last_contact_at) VALUES (NEW.person_id, NEW.tenant_id, NEW.occurred_at)
            ON CONFLICT (person_id) DO UPDATE SET last_contact_at = greatest(person_activity.last_contact_at, EXCLUDED.last_contact_at);
          END IF;
          RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
          PERFORM person_activity_refresh(OLD.person_id);
          RETURN NULL;
        END IF;
        IF NEW.person_id IS DISTINCT FROM OLD.person_id OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at THEN
          PERFORM person_activity_refresh(OLD.person_id);
          IF NEW.person_id IS DISTINCT FROM OLD.person_id THEN PERFORM person_activity_refresh(NEW.person_id); END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER contact_person_activity AFTER INSERT OR DELETE OR UPDATE OF person_id, occurred_at ON contact
      FOR EACH ROW EXECUTE FUNCTION contact_person_activity()`);

    await q.query(`
      CREATE TABLE continuity_alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        kind varchar(32) NOT NULL CHECK (kind IN (${kinds})),
        -- The orientation (referral_*), the request (request_without_contact) or the person (the others).
        subject_id uuid NOT NULL,
        -- When the gap began (the orientation sent, the last contact…): a new gap is a new alert.
        gap_since timestamptz NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        -- The structure that must act.
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
        bouquet smallint CHECK (bouquet BETWEEN 1 AND 18),
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        acknowledged_by_structure_id uuid REFERENCES structure(id) ON DELETE SET NULL,
        acknowledgement_comment text CHECK (length(acknowledgement_comment) <= 1000),
        UNIQUE (kind, subject_id, gap_since),
        CONSTRAINT continuity_alert_closed_after CHECK (closed_at IS NULL OR closed_at >= first_seen_at),
        CONSTRAINT continuity_alert_acknowledged CHECK (acknowledged_at IS NOT NULL
          OR (acknowledged_by_user_id IS NULL AND acknowledged_by_structure_id IS NULL AND acknowledgement_comment IS NULL))
      )`);
    await q.query(`CREATE INDEX continuity_alert_open_idx ON continuity_alert (tenant_id, structure_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX continuity_alert_seen_idx ON continuity_alert (tenant_id, first_seen_at)`);
    await q.query(`CREATE INDEX continuity_alert_closed_idx ON continuity_alert (tenant_id, closed_at) WHERE closed_at IS NOT NULL`);
    await q.query(`CREATE INDEX continuity_alert_person_idx ON continuity_alert (person_id)`);

    // The alert queries: orientations waiting at each step, failures, open requests, active référents.
    await q.query(`CREATE INDEX referral_accepted_idx ON referral (tenant_id, answered_at) WHERE status = 'accepted'`);
    await q.query(`CREATE INDEX referral_refused_idx ON referral (tenant_id, answered_at) WHERE status = 'refused'`);
    await q.query(`CREATE INDEX referral_failed_idx ON referral (tenant_id, closed_at) WHERE status = 'closed' AND outcome <> 'done'`);
    await q.query(`CREATE INDEX request_open_since_idx ON request (tenant_id, opened_at) WHERE status IN ('open','in_progress')`);
    await q.query(`CREATE INDEX referent_structure_active_idx ON referent (tenant_id, structure_id) WHERE ended_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX referent_structure_active_idx`);
    await q.query(`DROP INDEX request_open_since_idx`);
    await q.query(`DROP INDEX referral_failed_idx`);
    await q.query(`DROP INDEX referral_refused_idx`);
    await q.query(`DROP INDEX referral_accepted_idx`);
    await q.query(`DROP TABLE continuity_alert`);
    await q.query(`DROP TRIGGER contact_person_activity ON contact`);
    await q.query(`DROP FUNCTION contact_person_activity()`);
    await q.query(`DROP FUNCTION person_activity_refresh(uuid)`);
    await q.query(`DROP TABLE person_activity`);
    await q.query(`DROP TABLE continuity_threshold`);
  }
}
