import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent and sharing between partners: consents (never rewritten: only a withdrawal may be added,
 * once), the permission to override for a legal reason, the overrides themselves (with their review by
 * the structure's admin), and a review flag on audit rows.
 */
export class Consent1764300000000 implements MigrationInterface {
  name = 'Consent1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        client_request_id uuid NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        purpose varchar(24) NOT NULL CHECK (purpose IN ('orientation','coordinated_follow_up','network_visibility')),
        recipient_kind varchar(12) NOT NULL CHECK (recipient_kind IN ('structure','parcours','network')),
        recipient_structure_id uuid REFERENCES structure(id) ON DELETE RESTRICT,
        categories varchar(24)[] NOT NULL CHECK (categories <@ ARRAY['identity_contact','family_housing','resources_rights','needs_requests','interview_summaries','documents']::varchar(24)[]),
        collection_method varchar(16) NOT NULL CHECK (collection_method IN ('oral','signed_paper','digital')),
        notice_version varchar(16) NOT NULL,
        collected_by_user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE RESTRICT,
        collected_by_structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        collected_at timestamptz NOT NULL DEFAULT now(),
        valid_until timestamptz,
        withdrawn_at timestamptz,
        withdrawn_by_user_id uuid REFERENCES app_user(id) ON DELETE RESTRICT,
        withdrawn_by_structure_id uuid REFERENCES structure(id) ON DELETE RESTRICT,
        UNIQUE (tenant_id, client_request_id),
        CONSTRAINT consent_recipient CHECK ((recipient_kind = 'structure') = (recipient_structure_id IS NOT NULL)),
        CONSTRAINT consent_network CHECK ((recipient_kind = 'network') = (purpose = 'network_visibility')),
        CONSTRAINT consent_categories CHECK (CASE WHEN purpose = 'network_visibility' THEN cardinality(categories) = 0 ELSE cardinality(categories) > 0 END),
        CONSTRAINT consent_validity CHECK (valid_until IS NULL OR valid_until > collected_at),
        CONSTRAINT consent_withdrawal CHECK ((withdrawn_at IS NULL) = (withdrawn_by_user_id IS NULL) AND (withdrawn_at IS NULL) = (withdrawn_by_structure_id IS NULL))
      )`);
    // The access policy asks "the person's active consents" on every read; withdrawn ones are history.
    await q.query(`CREATE INDEX consent_person_active_idx ON consent (person_id) WHERE withdrawn_at IS NULL`);
    await q.query(`CREATE INDEX consent_recipient_active_idx ON consent (recipient_structure_id, person_id) WHERE withdrawn_at IS NULL`);
    await q.query(`
      CREATE FUNCTION consent_history_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          -- Only with the person's file itself (erasure, by cascade); never one consent alone.
          IF EXISTS (SELECT 1 FROM person WHERE id = OLD.person_id) THEN
            RAISE EXCEPTION 'consent history is kept: DELETE refused' USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.withdrawn_at IS NOT NULL
           OR (to_jsonb(NEW) - 'withdrawn_at' - 'withdrawn_by_user_id' - 'withdrawn_by_structure_id')
              <> (to_jsonb(OLD) - 'withdrawn_at' - 'withdrawn_by_user_id' - 'withdrawn_by_structure_id') THEN
          RAISE EXCEPTION 'consent history is kept: only a withdrawal may be added, once' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER consent_history_kept BEFORE UPDATE OR DELETE ON consent
      FOR EACH ROW EXECUTE FUNCTION consent_history_is_kept()`);

    await q.query(`ALTER TABLE membership ADD COLUMN may_override_consent boolean NOT NULL DEFAULT false`);

    await q.query(`
      CREATE TABLE access_override (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE RESTRICT,
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        legal_basis varchar(20) NOT NULL CHECK (legal_basis IN ('danger','legal_obligation')),
        justification text NOT NULL CHECK (length(justification) BETWEEN 10 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        reviewed_at timestamptz,
        reviewed_by_user_id uuid REFERENCES app_user(id) ON DELETE RESTRICT,
        CONSTRAINT access_override_expiry CHECK (expires_at > created_at),
        CONSTRAINT access_override_review CHECK ((reviewed_at IS NULL) = (reviewed_by_user_id IS NULL))
      )`);
    await q.query(`CREATE INDEX access_override_person_user_idx ON access_override (person_id, user_id, expires_at)`);
    await q.query(`CREATE INDEX access_override_pending_idx ON access_override (structure_id, created_at) WHERE reviewed_at IS NULL`);

    // Audit rows stay append-only: the flag is set when the row is written; the review lives in access_override.
    await q.query(`ALTER TABLE audit_event ADD COLUMN flagged boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX audit_event_entity_time_idx ON audit_event (entity_type, entity_id, occurred_at)`);
    await q.query(`DROP INDEX audit_event_entity_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id)`);
    await q.query(`DROP INDEX audit_event_entity_time_idx`);
    await q.query(`ALTER TABLE audit_event DROP COLUMN flagged`);
    await q.query(`DROP TABLE access_override`);
    await q.query(`ALTER TABLE membership DROP COLUMN may_override_consent`);
    await q.query(`DROP TABLE consent`);
    await q.query(`DROP FUNCTION consent_history_is_kept()`);
  }
}
