import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory of partner services (annuaire, issue "Orientations"): what each structure offers, for
 * which needs (the 18 bouquets and data·inclusion thématiques), to whom, on what conditions, where and
 * when, how to reach it — and how fresh that information is. Field vocabularies follow the
 * data·inclusion schema (frais, modes_accueil, modes_orientation_beneficiaire, zone_diffusion_type) so
 * that an import and the HSDS export map one to one.
 */
export class Directory1764600000000 implements MigrationInterface {
  name = 'Directory1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 150),
        description text CHECK (length(description) <= 4000),
        bouquets smallint[] NOT NULL CHECK (cardinality(bouquets) BETWEEN 1 AND 18 AND 1 <= ALL (bouquets) AND 18 >= ALL (bouquets)),
        thematiques text[] NOT NULL DEFAULT '{}' CHECK (cardinality(thematiques) <= 50),
        publics text[] NOT NULL DEFAULT '{}' CHECK (cardinality(publics) <= 20),
        access_conditions text CHECK (length(access_conditions) <= 2000),
        cost varchar(24) CHECK (cost IN ('free','free_under_conditions','paid','membership')),
        cost_details text CHECK (length(cost_details) <= 500),
        reception_modes text[] NOT NULL DEFAULT '{}' CHECK (reception_modes <@ ARRAY['in_person','remote']::text[]),
        mobilization_modes text[] NOT NULL DEFAULT '{}'
          CHECK (mobilization_modes <@ ARRAY['show_up','phone','email','online_form','other']::text[]),
        mobilization_url text CHECK (length(mobilization_url) <= 500),
        documents_to_bring text[] NOT NULL DEFAULT '{}' CHECK (cardinality(documents_to_bring) <= 30),
        opening_hours text CHECK (length(opening_hours) <= 500),
        zone_kind varchar(12) NOT NULL DEFAULT 'departement' CHECK (zone_kind IN ('communes','departement')),
        zone_communes varchar(5)[] NOT NULL DEFAULT '{}',
        contact_phone varchar(20),
        contact_email citext CHECK (length(contact_email) <= 254),
        website text CHECK (length(website) <= 500),
        active boolean NOT NULL DEFAULT true,
        last_verified_at timestamptz NOT NULL DEFAULT now(),
        last_verified_by_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        source varchar(16) NOT NULL DEFAULT 'passerelle' CHECK (source IN ('passerelle','data_inclusion')),
        source_id text CHECK (length(source_id) <= 200),
        search_text text GENERATED ALWAYS AS (search_normalize(coalesce(name, '') || ' ' || coalesce(description, ''))) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT service_zone_communes CHECK ((zone_kind = 'communes') = (cardinality(zone_communes) > 0)),
        CONSTRAINT service_source_id CHECK ((source = 'passerelle') OR source_id IS NOT NULL)
      )`);
    // Search by need: the bouquets array; by commune: the zone, then the sites' communes.
    await q.query(`CREATE INDEX service_bouquets_idx ON service USING gin (bouquets) WHERE active`);
    await q.query(`CREATE INDEX service_zone_communes_idx ON service USING gin (zone_communes) WHERE active AND zone_kind = 'communes'`);
    await q.query(`CREATE INDEX service_structure_idx ON service (structure_id)`);
    await q.query(`CREATE INDEX service_search_trgm ON service USING gin (search_text gin_trgm_ops)`);
    // Freshness: services to check again, per structure.
    await q.query(`CREATE INDEX service_verified_idx ON service (tenant_id, last_verified_at) WHERE active`);
    // An import is idempotent: the same data·inclusion id updates its service.
    await q.query(`CREATE UNIQUE INDEX service_source_uq ON service (tenant_id, source, source_id) WHERE source_id IS NOT NULL`);

    // Where a service is delivered: the structure's sites (fixed, or itinerant permanences). The
    // composite foreign keys make it impossible to attach a site of another structure, whatever the caller.
    await q.query(`ALTER TABLE service ADD CONSTRAINT service_id_structure_uq UNIQUE (id, structure_id)`);
    await q.query(`ALTER TABLE site ADD CONSTRAINT site_id_structure_uq UNIQUE (id, structure_id)`);
    await q.query(`
      CREATE TABLE service_site (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        service_id uuid NOT NULL,
        site_id uuid NOT NULL,
        structure_id uuid NOT NULL,
        PRIMARY KEY (service_id, site_id),
        FOREIGN KEY (service_id, structure_id) REFERENCES service(id, structure_id) ON DELETE CASCADE,
        FOREIGN KEY (site_id, structure_id) REFERENCES site(id, structure_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX service_site_site_idx ON service_site (site_id)`);
    await q.query(`CREATE INDEX site_commune_idx ON site (tenant_id, commune_insee) WHERE active`);

    // Structures imported from data·inclusion keep their source id (idempotent re-import).
    await q.query(`ALTER TABLE structure ADD COLUMN source varchar(16) NOT NULL DEFAULT 'passerelle' CHECK (source IN ('passerelle','data_inclusion'))`);
    await q.query(`ALTER TABLE structure ADD COLUMN source_id text CHECK (length(source_id) <= 200)`);
    await q.query(`CREATE UNIQUE INDEX structure_source_uq ON structure (tenant_id, source, source_id) WHERE source_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX structure_source_uq`);
    await q.query(`ALTER TABLE structure DROP COLUMN source_id`);
    await q.query(`ALTER TABLE structure DROP COLUMN source`);
    await q.query(`DROP INDEX site_commune_idx`);
    await q.query(`DROP TABLE service_site`);
    await q.query(`ALTER TABLE site DROP CONSTRAINT site_id_structure_uq`);
    await q.query(`DROP TABLE service`);
  }
}
