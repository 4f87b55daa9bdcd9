import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reception desk: persons (usagers), which structures follow them, contacts (passages) with their
 * needs, and requests (demandes) with a state machine enforced by a trigger.
 */
export class Reception1764100000000 implements MigrationInterface {
  name = 'Reception1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // Search form of a name: lower case, no accents, hyphens/apostrophes as spaces, single spaces.
    await q.query(`
      CREATE FUNCTION search_normalize(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT btrim(regexp_replace(immutable_unaccent(lower(coalesce($1, ''))), '[^a-z0-9@.]+', ' ', 'g')) $$`);

    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        usage_last_name text CHECK (length(usage_last_name) <= 100),
        birth_last_name text CHECK (length(birth_last_name) <= 100),
        first_names text CHECK (length(first_names) <= 150),
        birth_date date CHECK (birth_date >= '1900-01-01'),
        birth_date_precision varchar(5) CHECK (birth_date_precision IN ('day','month','year')),
        commune_insee varchar(5),
        no_stable_home boolean NOT NULL DEFAULT false,
        domiciliation text CHECK (length(domiciliation) <= 300),
        phone varchar(20),
        email citext CHECK (length(email) <= 254),
        languages text[] NOT NULL DEFAULT '{}',
        needs_interpreter boolean NOT NULL DEFAULT false,
        contact_preference varchar(16) CHECK (contact_preference IN ('phone','sms','email','mail','in_person')),
        household varchar(32) CHECK (household IN ('alone','couple','alone_with_children','couple_with_children','other')),
        dependent_children smallint CHECK (dependent_children BETWEEN 0 AND 30),
        nationality_group varchar(8) CHECK (nationality_group IN ('france','eu','non_eu')),
        created_by_structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        created_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        merged_into_id uuid REFERENCES person(id) ON DELETE RESTRICT,
        merged_at timestamptz,
        search_text text GENERATED ALWAYS AS (
          search_normalize(coalesce(usage_last_name, '') || ' ' || coalesce(birth_last_name, '') || ' ' || coalesce(first_names, ''))
        ) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, commune_insee) REFERENCES commune(tenant_id, insee_code) ON DELETE RESTRICT,
        CONSTRAINT person_has_a_name CHECK (coalesce(usage_last_name, birth_last_name, first_names) IS NOT NULL),
        CONSTRAINT person_birth_precision CHECK ((birth_date IS NULL) = (birth_date_precision IS NULL)),
        CONSTRAINT person_merge_consistent CHECK ((merged_into_id IS NULL) = (merged_at IS NULL) AND merged_into_id <> id)
      )`);
    await q.query(`CREATE INDEX person_search_trgm ON person USING gin (search_text gin_trgm_ops)`);
    await q.query(`CREATE INDEX person_phone_idx ON person (tenant_id, phone) WHERE phone IS NOT NULL`);
    await q.query(`CREATE INDEX person_email_idx ON person (tenant_id, email) WHERE email IS NOT NULL`);
    await q.query(`CREATE INDEX person_tenant_birth_idx ON person (tenant_id, birth_date)`);

    // The structures that follow a person: the creator, and any that later take them on.
    await q.query(`
      CREATE TABLE person_follow (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
        since timestamptz NOT NULL DEFAULT now(),
        reason varchar(16) NOT NULL CHECK (reason IN ('created','contact','merge','referral','handoff')),
        PRIMARY KEY (person_id, structure_id)
      )`);
    await q.query(`CREATE INDEX person_follow_structure_idx ON person_follow (structure_id, person_id)`);

    await q.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        client_request_id uuid NOT NULL,
        person_id uuid REFERENCES person(id) ON DELETE RESTRICT,
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        site_id uuid REFERENCES site(id) ON DELETE SET NULL,
        agent_user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE RESTRICT,
        channel varchar(16) NOT NULL CHECK (channel IN ('in_person','phone','email','video','itinerant','home_visit','mail')),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        duration_minutes smallint CHECK (duration_minutes BETWEEN 0 AND 600),
        answer varchar(20) NOT NULL CHECK (answer IN ('information','procedure_done','appointment','referral_needed','support_started','other')),
        summary text CHECK (length(summary) <= 2000),
        private_note text CHECK (length(private_note) <= 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, client_request_id)
      )`);
    await q.query(`CREATE INDEX contact_person_idx ON contact (person_id, occurred_at DESC) WHERE person_id IS NOT NULL`);
    await q.query(`CREATE INDEX contact_structure_time_idx ON contact (structure_id, occurred_at DESC)`);

    await q.query(`
      CREATE TABLE contact_need (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        contact_id uuid NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
        position smallint NOT NULL CHECK (position BETWEEN 0 AND 17),
        bouquet smallint NOT NULL CHECK (bouquet BETWEEN 1 AND 18),
        sub_need text CHECK (length(sub_need) <= 100),
        detail text CHECK (length(detail) <= 500),
        PRIMARY KEY (contact_id, position)
      )`);

    await q.query(`
      CREATE TABLE request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        bouquet smallint NOT NULL CHECK (bouquet BETWEEN 1 AND 18),
        sub_need text CHECK (length(sub_need) <= 100),
        description text CHECK (length(description) <= 500),
        status varchar(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','resolved','no_follow_up')),
        closed_reason text CHECK (length(closed_reason) <= 500),
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        opened_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        status_changed_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT request_closed_at CHECK ((status IN ('resolved','no_follow_up')) = (closed_at IS NOT NULL)),
        CONSTRAINT request_no_follow_up_reason CHECK (status <> 'no_follow_up' OR coalesce(btrim(closed_reason), '') <> '')
      )`);
    await q.query(`CREATE INDEX request_person_idx ON request (person_id, opened_at DESC)`);
    await q.query(`CREATE INDEX request_structure_open_idx ON request (structure_id, status) WHERE status IN ('open','in_progress')`);
    await q.query(`
      CREATE FUNCTION request_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
             (OLD.status = 'open' AND NEW.status IN ('in_progress','resolved','no_follow_up'))
          OR (OLD.status = 'in_progress' AND NEW.status IN ('resolved','no_follow_up'))
        ) THEN
          RAISE EXCEPTION 'request status transition % -> % refused', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'request_status_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER request_status_transition BEFORE UPDATE OF status ON request
      FOR EACH ROW EXECUTE FUNCTION request_status_transition()`);

    await q.query(`
      CREATE TABLE request_contact (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        request_id uuid NOT NULL REFERENCES request(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
        PRIMARY KEY (request_id, contact_id)
      )`);
    await q.query(`CREATE INDEX request_contact_contact_idx ON request_contact (contact_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE request_contact`);
    await q.query(`DROP TABLE request`);
    await q.query(`DROP FUNCTION request_status_transition()`);
    await q.query(`DROP TABLE contact_need`);
    await q.query(`DROP TABLE contact`);
    await q.query(`DROP TABLE person_follow`);
    await q.query(`DROP TABLE person`);
    await q.query(`DROP FUNCTION search_normalize(text)`);
  }
}
