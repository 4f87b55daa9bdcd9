import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The référent de parcours (one active at a time per person, history kept), handoffs (passages de
 * relais) between professionals, in-app notifications (with their e-mail), and the tenant's delays for
 * reminding and expiring unanswered orientations.
 */
export class Referents1764800000000 implements MigrationInterface {
  name = 'Referents1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE RESTRICT,
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        -- The seeds' criteria: the person's preference, relevance, feasibility.
        criteria text[] NOT NULL CHECK (cardinality(criteria) >= 1
          AND criteria <@ ARRAY['person_preference','relevance','feasibility']::text[]),
        chosen_with_person boolean NOT NULL,
        criteria_note text CHECK (length(criteria_note) <= 1000),
        designated_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        handoff_id uuid,
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        ended_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        ended_reason varchar(16) CHECK (ended_reason IN ('replaced','ended','handoff','person_request','retention')),
        CONSTRAINT referent_end_consistent CHECK ((ended_at IS NULL) = (ended_reason IS NULL) AND (ended_at IS NULL OR ended_at >= started_at))
      )`);
    // One active référent per person, whatever the caller (the service answers 409 first).
    await q.query(`CREATE UNIQUE INDEX referent_one_active_uq ON referent (person_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX referent_user_active_idx ON referent (user_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX referent_person_idx ON referent (person_id, started_at DESC)`);

    await q.query(`
      CREATE TABLE handoff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        client_request_id uuid NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        from_structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        from_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        to_structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        to_user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE RESTRICT,
        note text NOT NULL CHECK (length(btrim(note)) BETWEEN 1 AND 4000),
        propose_referent boolean NOT NULL DEFAULT false,
        status varchar(12) NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed','accepted','declined','cancelled')),
        decline_reason text CHECK (length(decline_reason) <= 1000),
        proposed_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz,
        answered_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        UNIQUE (tenant_id, client_request_id),
        CONSTRAINT handoff_not_to_self CHECK (to_user_id IS DISTINCT FROM from_user_id),
        CONSTRAINT handoff_answered CHECK ((status = 'proposed') = (answered_at IS NULL)),
        CONSTRAINT handoff_declined_reason CHECK (status <> 'declined' OR coalesce(btrim(decline_reason), '') <> '')
      )`);
    await q.query(`CREATE INDEX handoff_to_user_idx ON handoff (to_user_id, status, proposed_at DESC)`);
    await q.query(`CREATE INDEX handoff_from_structure_idx ON handoff (from_structure_id, proposed_at DESC)`);
    await q.query(`CREATE INDEX handoff_person_idx ON handoff (person_id, proposed_at DESC)`);
    // A person has at most one handoff waiting for an answer.
    await q.query(`CREATE UNIQUE INDEX handoff_one_proposed_uq ON handoff (person_id) WHERE status = 'proposed'`);
    await q.query(`
      CREATE FUNCTION handoff_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status AND NOT (OLD.status = 'proposed' AND NEW.status IN ('accepted','declined','cancelled')) THEN
          RAISE EXCEPTION 'handoff status transition % -> % refused', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'handoff_status_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER handoff_status_transition BEFORE UPDATE OF status ON handoff
      FOR EACH ROW EXECUTE FUNCTION handoff_status_transition()`);
    await q.query(`ALTER TABLE referent ADD CONSTRAINT referent_handoff_fk FOREIGN KEY (handoff_id) REFERENCES handoff(id) ON DELETE SET NULL`);

    // In-app notifications, one row per recipient; the e-mail is sent from a job and stamped here
    // (the table is the outbox: a row committed with the change is e-mailed once the job sees it).
    // They name no person: a kind, the entity to open, the structure it comes from, and the recipient's
    // structure it is addressed to (a professional may work for several).
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        kind varchar(32) NOT NULL CHECK (kind IN ('referral_received','referral_status','referral_reminder','referral_expired',
          'handoff_proposed','handoff_answered','services_stale')),
        entity_type varchar(16) NOT NULL CHECK (entity_type IN ('referral','handoff','structure')),
        entity_id uuid NOT NULL,
        from_structure_id uuid REFERENCES structure(id) ON DELETE SET NULL,
        to_structure_id uuid REFERENCES structure(id) ON DELETE SET NULL,
        detail varchar(32),
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        email_status varchar(8) NOT NULL DEFAULT 'pending' CHECK (email_status IN ('pending','sent','skipped','failed')),
        -- Sending attempts, and when the next one may start (a lease while one is under way, a back-off after a failure).
        email_attempts smallint NOT NULL DEFAULT 0 CHECK (email_attempts >= 0),
        email_next_attempt_at timestamptz,
        emailed_at timestamptz,
        CONSTRAINT notification_emailed CHECK ((email_status = 'sent') = (emailed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX notification_user_unread_idx ON notification (user_id, created_at DESC) WHERE read_at IS NULL`);
    await q.query(`CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX notification_email_pending_idx ON notification (created_at) WHERE email_status = 'pending'`);

    await q.query(`
      ALTER TABLE tenant
        ADD COLUMN referral_reminder_days smallint NOT NULL DEFAULT 10
          CONSTRAINT tenant_referral_reminder_days CHECK (referral_reminder_days BETWEEN 1 AND 90),
        ADD COLUMN referral_expiry_days smallint NOT NULL DEFAULT 30
          CONSTRAINT tenant_referral_expiry_days CHECK (referral_expiry_days BETWEEN 2 AND 365),
        ADD CONSTRAINT tenant_referral_expiry_after_reminder CHECK (referral_expiry_days > referral_reminder_days)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant DROP CONSTRAINT tenant_referral_expiry_after_reminder,
      DROP COLUMN referral_expiry_days, DROP COLUMN referral_reminder_days`);
    await q.query(`DROP TABLE notification`);
    await q.query(`ALTER TABLE referent DROP CONSTRAINT referent_handoff_fk`);
    await q.query(`DROP TABLE handoff`);
    await q.query(`DROP FUNCTION handoff_status_transition()`);
    await q.query(`DROP TABLE referent`);
  }
}
