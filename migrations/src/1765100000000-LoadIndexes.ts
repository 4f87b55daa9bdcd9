import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the load benchmark (bench:load --statements, issue 7) showed missing at département scale:
 *
 * - `consent_person_idx`: a person's consents, active and past, newest first (the person page's
 *   « Consentements » panel, ConsentsService.find). The only index by person was partial (not
 *   withdrawn), so listing every consent of one person scanned the whole table (527,000 rows at
 *   300,000 persons: ~170 ms alone, the slowest request of the page under load);
 * - `referral_to_structure_sent_idx`: a structure's inbox without a status filter (the page's
 *   default), newest first, one page. `referral_inbox_idx` has the status second, so it cannot give
 *   that order: the page was read by walking the whole département's orientations by date
 *   (referral_indicators_idx) and dropping the other structures' — the smaller the structure, the
 *   longer the walk.
 */
export class LoadIndexes1765100000000 implements MigrationInterface {
  name = 'LoadIndexes1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX consent_person_idx ON consent (person_id, collected_at DESC, id)`);
    await q.query(`CREATE INDEX referral_to_structure_sent_idx ON referral (to_structure_id, sent_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX referral_to_structure_sent_idx`);
    await q.query(`DROP INDEX consent_person_idx`);
  }
}
