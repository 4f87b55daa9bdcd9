import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Platform foundation: tenants (départements) and their communes, structures and sites, users,
 * memberships (role per structure), server-side sessions, and the append-only audit trail.
 * Every table holding tenant data carries tenant_id so the database can be distributed by
 * département later (e.g. Citus with tenant_id as distribution column).
 */
export class Init1764000000000 implements MigrationInterface {
  name = 'Init1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS citext`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);

    // An immutable wrapper so unaccent() can be used in indexes.
    await q.query(`
      CREATE FUNCTION immutable_unaccent(text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      AS $$ SELECT public.unaccent('public.unaccent', $1) $$`);

    await q.query(`
      CREATE TABLE tenant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(3) NOT NULL UNIQUE CHECK (code ~ '^([0-9]{2}|2A|2B|97[1-6])$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE commune (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        insee_code varchar(5) NOT NULL CHECK (insee_code ~ '^[0-9][0-9AB][0-9]{3}$'),
        name text NOT NULL,
        postal_codes text[] NOT NULL DEFAULT '{}',
        epci_code varchar(9),
        population integer,
        PRIMARY KEY (tenant_id, insee_code)
      )`);
    await q.query(
      `CREATE INDEX commune_name_trgm ON commune USING gin (immutable_unaccent(lower(name)) gin_trgm_ops)`,
    );

    await q.query(`
      CREATE TABLE structure (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        type varchar(40) NOT NULL CHECK (type IN ('ccas','mairie','france_services','departmental_social_service',
          'caf','cpam','france_travail','mission_locale','association','other')),
        siret varchar(14) CHECK (siret ~ '^[0-9]{14}$'),
        email citext,
        phone varchar(20),
        commune_insee varchar(5),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, commune_insee) REFERENCES commune(tenant_id, insee_code) ON DELETE RESTRICT
      )`);
    await q.query(`CREATE UNIQUE INDEX structure_tenant_name_uq ON structure (tenant_id, lower(name))`);

    await q.query(`
      CREATE TABLE site (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        kind varchar(16) NOT NULL CHECK (kind IN ('fixed','itinerant')),
        address text,
        commune_insee varchar(5) NOT NULL,
        opening_hours text,
        recurrence text,
        recurrence_label text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, commune_insee) REFERENCES commune(tenant_id, insee_code) ON DELETE RESTRICT,
        CONSTRAINT site_itinerant_has_recurrence CHECK (kind = 'fixed' OR recurrence IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX site_structure_idx ON site (structure_id)`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        email citext NOT NULL UNIQUE,
        first_name text NOT NULL,
        last_name text NOT NULL,
        password_hash text,
        failed_login_count integer NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
        locked_until timestamptz,
        activation_token_hash text UNIQUE,
        activation_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX app_user_tenant_idx ON app_user (tenant_id)`);

    await q.query(`
      CREATE TABLE membership (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        structure_id uuid REFERENCES structure(id) ON DELETE CASCADE,
        role varchar(32) NOT NULL CHECK (role IN ('reception_agent','social_worker','coordinator','structure_admin','platform_admin')),
        deactivated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT membership_structure_required CHECK ((role = 'platform_admin') = (structure_id IS NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX membership_user_structure_uq ON membership (user_id, COALESCE(structure_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
    );
    await q.query(`CREATE INDEX membership_structure_idx ON membership (structure_id)`);

    await q.query(`
      CREATE TABLE user_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        membership_id uuid NOT NULL REFERENCES membership(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL UNIQUE,
        csrf_token varchar(64) NOT NULL,
        auth_method varchar(16) NOT NULL DEFAULT 'password',
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(32)
      )`);
    await q.query(`CREATE INDEX user_session_user_active_idx ON user_session (user_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX user_session_expires_idx ON user_session (expires_at)`);

    await q.query(`
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        user_id uuid,
        structure_id uuid,
        role varchar(32),
        action varchar(64) NOT NULL,
        entity_type varchar(64),
        entity_id varchar(64),
        outcome varchar(16) NOT NULL CHECK (outcome IN ('success','failure','denied')),
        reason varchar(64),
        ip inet,
        request_id varchar(64)
      )`);
    await q.query(`CREATE INDEX audit_event_tenant_time_idx ON audit_event (tenant_id, occurred_at)`);
    await q.query(`CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id)`);
    await q.query(`
      CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_is_append_only()`);
    await q.query(`DROP TABLE user_session`);
    await q.query(`DROP TABLE membership`);
    await q.query(`DROP TABLE app_user`);
    await q.query(`DROP TABLE site`);
    await q.query(`DROP TABLE structure`);
    await q.query(`DROP TABLE commune`);
    await q.query(`DROP TABLE tenant`);
    await q.query(`DROP FUNCTION immutable_unaccent(text)`);
  }
}
