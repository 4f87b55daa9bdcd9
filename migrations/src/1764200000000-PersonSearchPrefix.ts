import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Person search as typed at the desk ("NOM Prénom", or the beginning of an e-mail address): b-tree
 * indexes in byte order ("C" collation, text_pattern_ops), whatever the database collation, so that
 * `LIKE 'martin j%'` is a range scan that also returns rows in order and stops after the first page.
 * The GIN trigram index of the Reception migration stays for everything else (words in any order,
 * typos); the (tenant_id, email) citext index serves whole addresses.
 */
export class PersonSearchPrefix1764200000000 implements MigrationInterface {
  name = 'PersonSearchPrefix1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX person_search_prefix_idx ON person (tenant_id, (search_text COLLATE "C"))`);
    await q.query(`CREATE INDEX person_email_prefix_idx ON person (tenant_id, lower(email::text) text_pattern_ops) WHERE email IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX person_email_prefix_idx`);
    await q.query(`DROP INDEX person_search_prefix_idx`);
  }
}
