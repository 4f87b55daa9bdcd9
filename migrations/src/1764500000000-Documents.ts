import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The armoire numérique: documents attached to a person's file (ID, proofs, letters), each with the
 * data category that decides, through consent, who may see it. The bytes live in PostgreSQL, in a table
 * of their own (never read by lists), outside any web root, with their SHA-256 checked on every
 * download (decision 0008). Documents belong to the structure that uploaded them, like contacts.
 */
export class Documents1764500000000 implements MigrationInterface {
  name = 'Documents1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE RESTRICT,
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        structure_id uuid NOT NULL REFERENCES structure(id) ON DELETE RESTRICT,
        uploaded_by_user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE RESTRICT,
        kind varchar(24) NOT NULL CHECK (kind IN ('identity','residence','resources','housing','health_insurance','letter','other')),
        category varchar(24) NOT NULL CHECK (category IN ('identity_contact','family_housing','resources_rights','needs_requests','interview_summaries','documents')),
        title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
        media_type varchar(32) NOT NULL CHECK (media_type IN ('application/pdf','image/jpeg','image/png','image/webp')),
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX document_person_idx ON document (person_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE document_content (
        document_id uuid PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,
        content bytea NOT NULL
      )`);
    // The bytes are already compressed (PDF, JPEG, PNG, WebP): do not spend CPU trying again.
    await q.query(`ALTER TABLE document_content ALTER COLUMN content SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_content`);
    await q.query(`DROP TABLE document`);
  }
}
