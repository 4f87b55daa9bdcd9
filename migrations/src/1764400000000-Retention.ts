import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (issue "Consent and sharing", section Retention; docs/retention.md):
 * - per-tenant durations: persons are anonymised `person_retention_months` after their last contact
 *   (or their creation), audit rows are purged after `audit_retention_months`;
 * - `person.anonymized_at`, and a CHECK that an anonymised person holds nothing but the placeholder
 *   name (so no later write, e.g. a merge filling empty fields, can bring an identity back);
 * - the audit trail stays append-only for everyone, except the retention purge: a DELETE is let
 *   through only in a transaction that declared it (`SET LOCAL passerelle.audit_purge = 'on'`) and
 *   only for a row already past its tenant's retention by the database's own clock;
 * - the indexes the daily job reads.
 */
export class Retention1764400000000 implements MigrationInterface {
  name = 'Retention1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenant
        ADD COLUMN person_retention_months smallint NOT NULL DEFAULT 24
          CONSTRAINT tenant_person_retention_months CHECK (person_retention_months BETWEEN 6 AND 120),
        ADD COLUMN audit_retention_months smallint NOT NULL DEFAULT 12
          CONSTRAINT tenant_audit_retention_months CHECK (audit_retention_months BETWEEN 6 AND 60)`);

    // The one definition of "how long this tenant keeps its audit rows"; rows without a tenant (e.g. a
    // failed login on an unknown address) keep the default of the column above, 12 months.
    await q.query(`
      CREATE FUNCTION audit_retention_months(p_tenant_id uuid) RETURNS integer
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT coalesce((SELECT audit_retention_months FROM tenant WHERE id = p_tenant_id), 12) $$`);

    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The retention purge, and only it (api/src/retention): a DELETE in a transaction that set
        -- passerelle.audit_purge to 'on', of a row older than its tenant's retention by the database's
        -- clock. UPDATE and TRUNCATE are always refused.
        IF TG_OP = 'DELETE' THEN
          IF current_setting('passerelle.audit_purge', true) = 'on'
             AND OLD.occurred_at < now() - make_interval(months => audit_retention_months(OLD.tenant_id)) THEN
            RETURN OLD;
          END IF;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);

    await q.query(`ALTER TABLE person ADD COLUMN anonymized_at timestamptz`);
    await q.query(`
      ALTER TABLE person ADD CONSTRAINT person_anonymized_holds_no_identity CHECK (
        anonymized_at IS NULL OR (
          usage_last_name = 'Anonymisé' AND birth_last_name IS NULL AND first_names IS NULL
          AND birth_date IS NULL AND commune_insee IS NULL AND NOT no_stable_home AND domiciliation IS NULL
          AND phone IS NULL AND email IS NULL AND cardinality(languages) = 0 AND NOT needs_interpreter
          AND contact_preference IS NULL AND household IS NULL AND dependent_children IS NULL
          AND nationality_group IS NULL))`);

    // The job's candidates: files not yet anonymised (merged ones follow their target), per tenant, by
    // creation date (a file created after the cutoff cannot be due) then id, for keyset batches. The
    // index shrinks as files are anonymised. "No contact since the cutoff" is then a probe of
    // contact_person_idx (person_id, occurred_at DESC).
    await q.query(`
      CREATE INDEX person_retention_idx ON person (tenant_id, created_at, id)
      WHERE anonymized_at IS NULL AND merged_into_id IS NULL`);
    // The files merged into a given one (a merged file follows its target); also serves the FK.
    await q.query(`CREATE INDEX person_merged_into_idx ON person (merged_into_id) WHERE merged_into_id IS NOT NULL`);
    // Anonymous contacts (no person) past the retention get their free text cleared.
    await q.query(`CREATE INDEX contact_anonymous_time_idx ON contact (tenant_id, occurred_at) WHERE person_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contact_anonymous_time_idx`);
    await q.query(`DROP INDEX person_merged_into_idx`);
    await q.query(`DROP INDEX person_retention_idx`);
    await q.query(`ALTER TABLE person DROP CONSTRAINT person_anonymized_holds_no_identity`);
    await q.query(`ALTER TABLE person DROP COLUMN anonymized_at`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`DROP FUNCTION audit_retention_months(uuid)`);
    await q.query(`ALTER TABLE tenant DROP COLUMN audit_retention_months, DROP COLUMN person_retention_months`);
  }
}
