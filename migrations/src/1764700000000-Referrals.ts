import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orientations (referrals) that close the loop: sent by a structure to a partner (and one of its
 * services), followed through envoyée → reçue → acceptée | refusée | réorientée → prise en charge →
 * clôturée, or annulée by the sender. The current state lives on the row (with the dates the
 * indicators need); every transition is a `referral_event` row (who, when). A trigger enforces the
 * state machine whatever the caller, like request_status_transition.
 */
export class Referrals1764700000000 implements MigrationInterface {
  name = 'Referrals1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        client_request_id uuid NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        from_structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        from_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        from_contact_id uuid REFERENCES contact(id) ON DELETE SET NULL,
        request_id uuid REFERENCES request(id) ON DELETE SET NULL,
        parent_referral_id uuid REFERENCES referral(id) ON DELETE SET NULL,
        to_structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        to_service_id uuid REFERENCES service(id) ON DELETE SET NULL,
        bouquet smallint NOT NULL CHECK (bouquet BETWEEN 1 AND 18),
        message text CHECK (length(message) <= 2000),
        categories text[] NOT NULL DEFAULT '{}' CHECK (categories <@ ARRAY['identity_contact','family_housing','resources_rights',
          'needs_requests','interview_summaries','documents']::text[]),
        status varchar(12) NOT NULL DEFAULT 'sent'
          CHECK (status IN ('sent','received','accepted','refused','redirected','in_charge','closed','cancelled')),
        sent_at timestamptz NOT NULL DEFAULT now(),
        received_at timestamptz,
        answered_at timestamptz,
        refusal_reason varchar(24) CHECK (refusal_reason IN ('not_eligible','out_of_zone','no_capacity','not_our_service',
          'already_supported','person_declined','insufficient_information','other')),
        redirected_to_structure_id uuid REFERENCES structure(id) ON DELETE RESTRICT,
        in_charge_kind varchar(16) CHECK (in_charge_kind IN ('appointment','first_contact')),
        in_charge_at timestamptz,
        closed_at timestamptz,
        outcome varchar(16) CHECK (outcome IN ('done','not_done','unreachable','abandoned','other')),
        broken_link smallint CHECK (broken_link BETWEEN 1 AND 11),
        status_comment text CHECK (length(status_comment) <= 1000),
        cancelled_at timestamptz,
        reminded_at timestamptz,
        expired_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, client_request_id),
        CONSTRAINT referral_not_to_itself CHECK (to_structure_id <> from_structure_id),
        CONSTRAINT referral_refused_reason CHECK ((status = 'refused') = (refusal_reason IS NOT NULL)),
        CONSTRAINT referral_redirected_target CHECK ((status = 'redirected') = (redirected_to_structure_id IS NOT NULL)),
        CONSTRAINT referral_redirected_elsewhere CHECK (redirected_to_structure_id NOT IN (from_structure_id, to_structure_id)),
        CONSTRAINT referral_answered CHECK ((status IN ('sent','received') OR (status = 'cancelled' AND answered_at IS NULL)) = (answered_at IS NULL)),
        CONSTRAINT referral_in_charge CHECK ((in_charge_at IS NULL) = (in_charge_kind IS NULL)
          AND (status <> 'in_charge' OR in_charge_at IS NOT NULL)),
        CONSTRAINT referral_closed CHECK ((status = 'closed') = (outcome IS NOT NULL) AND (status = 'closed') = (closed_at IS NOT NULL)),
        CONSTRAINT referral_cancelled CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CONSTRAINT referral_broken_link_on_failure CHECK (broken_link IS NULL OR status = 'refused' OR (status = 'closed' AND outcome <> 'done'))
      )`);
    // The receiving structure's inbox, the sender's follow-up, the person's timeline, the reminder job.
    await q.query(`CREATE INDEX referral_inbox_idx ON referral (to_structure_id, status, sent_at DESC)`);
    await q.query(`CREATE INDEX referral_sent_idx ON referral (from_structure_id, sent_at DESC)`);
    await q.query(`CREATE INDEX referral_person_idx ON referral (person_id, sent_at DESC)`);
    await q.query(`CREATE INDEX referral_unanswered_idx ON referral (tenant_id, sent_at) WHERE status IN ('sent','received')`);
    await q.query(`CREATE INDEX referral_parent_idx ON referral (parent_referral_id) WHERE parent_referral_id IS NOT NULL`);

    await q.query(`
      CREATE FUNCTION referral_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Every write of the status is a step of the loop: writing the same status again is refused
        -- too (a replayed or racing change would otherwise rewrite a closed loop's outcome or dates).
        IF NOT (
             (OLD.status = 'sent' AND NEW.status IN ('received','accepted','refused','redirected','cancelled'))
          OR (OLD.status = 'received' AND NEW.status IN ('accepted','refused','redirected','cancelled'))
          OR (OLD.status = 'accepted' AND NEW.status IN ('in_charge','closed','cancelled'))
          OR (OLD.status = 'in_charge' AND NEW.status = 'closed')
        ) THEN
          RAISE EXCEPTION 'referral status transition % -> % refused', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'referral_status_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER referral_status_transition BEFORE UPDATE OF status ON referral
      FOR EACH ROW EXECUTE FUNCTION referral_status_transition()`);

    // Every step of the loop: who moved it, from which structure, when. Never rewritten.
    await q.query(`
      CREATE TABLE referral_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        referral_id uuid NOT NULL REFERENCES referral(id) ON DELETE CASCADE,
        status varchar(12) NOT NULL
          CHECK (status IN ('sent','received','accepted','refused','redirected','in_charge','closed','cancelled','reminded','expired')),
        at timestamptz NOT NULL DEFAULT now(),
        -- RESTRICT, not SET NULL: the rows are append-only (a SET NULL would be an UPDATE, refused).
        user_id uuid REFERENCES app_user(id) ON DELETE RESTRICT,
        structure_id uuid REFERENCES structure(id) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE INDEX referral_event_referral_idx ON referral_event (referral_id, at)`);
    await q.query(`
      CREATE FUNCTION referral_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Only with its referral (a person's file deleted by cascade); never one step alone.
        IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM referral WHERE id = OLD.referral_id) THEN RETURN OLD; END IF;
        RAISE EXCEPTION 'referral_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER referral_event_append_only BEFORE UPDATE OR DELETE ON referral_event
      FOR EACH ROW EXECUTE FUNCTION referral_event_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE referral_event`);
    await q.query(`DROP FUNCTION referral_event_is_append_only()`);
    await q.query(`DROP TABLE referral`);
    await q.query(`DROP FUNCTION referral_status_transition()`);
  }
}
