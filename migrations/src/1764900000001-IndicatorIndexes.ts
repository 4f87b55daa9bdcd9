import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the indicators read (docs/indicators.md), so that a section over 3 months of a département is
 * one index-only range scan of its table:
 *
 * - `contact.need_mask`: the bouquets of the contact's needs as bits (bit b for bouquet b, 1–18),
 *   kept by statement-level triggers on `contact_need`. Counting contacts by need, or filtering them
 *   by bouquet, is then a column of the contact instead of a join to every need of the period (a
 *   3-month département is ~400,000 contacts and ~500,000 needs, and `contact_need` has no date);
 * - covering indexes on contact, referral and continuity_alert, ordered by the period's column and
 *   holding every column a section groups or filters by.
 */
export class IndicatorIndexes1764900000001 implements MigrationInterface {
  name = 'IndicatorIndexes1764900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contact ADD COLUMN need_mask integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE FUNCTION contact_need_mask(p_contact uuid) RETURNS integer LANGUAGE sql STABLE AS $$
        SELECT coalesce(bit_or(1 << bouquet), 0)::integer FROM contact_need WHERE contact_id = p_contact
      $$`);
    // Needs are inserted with their contact (one statement), removed with it (cascade) or by a merge;
    // retention only blanks their details. One UPDATE per statement, and only of the contacts whose
    // set of bouquets changed (a contact already deleted in the same statement is simply not found).
    await q.query(`
      CREATE FUNCTION contact_need_mask_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE contact c SET need_mask = c.need_mask | a.mask
          FROM (SELECT contact_id, bit_or(1 << bouquet)::integer AS mask FROM added GROUP BY contact_id) a
         WHERE c.id = a.contact_id AND c.need_mask | a.mask <> c.need_mask;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION contact_need_mask_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          UPDATE contact c SET need_mask = contact_need_mask(c.id)
           WHERE c.id IN (SELECT contact_id FROM removed) AND c.need_mask <> contact_need_mask(c.id);
        ELSE
          UPDATE contact c SET need_mask = contact_need_mask(c.id)
           WHERE c.id IN (SELECT contact_id FROM (SELECT contact_id, position, bouquet FROM added
                                                  EXCEPT SELECT contact_id, position, bouquet FROM removed) changed
                          UNION
                          SELECT contact_id FROM (SELECT contact_id, position, bouquet FROM removed
                                                  EXCEPT SELECT contact_id, position, bouquet FROM added) changed)
             AND c.need_mask <> contact_need_mask(c.id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER contact_need_mask_insert AFTER INSERT ON contact_need
      REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION contact_need_mask_added()`);
    await q.query(`
      CREATE TRIGGER contact_need_mask_update AFTER UPDATE ON contact_need
      REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION contact_need_mask_changed()`);
    await q.query(`
      CREATE TRIGGER contact_need_mask_delete AFTER DELETE ON contact_need
      REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION contact_need_mask_changed()`);
    await q.query(`
      UPDATE contact c SET need_mask = n.mask
        FROM (SELECT contact_id, bit_or(1 << bouquet)::integer AS mask FROM contact_need GROUP BY contact_id) n
       WHERE c.id = n.contact_id`);

    // Contacts and continuity: the period's contacts with what they are grouped and filtered by.
    await q.query(`
      CREATE INDEX contact_indicators_idx ON contact (tenant_id, occurred_at)
        INCLUDE (structure_id, site_id, channel, answer, person_id, need_mask)`);
    // Referrals, flows and barriers: the period's orientations with their steps' dates and results.
    await q.query(`
      CREATE INDEX referral_indicators_idx ON referral (tenant_id, sent_at)
        INCLUDE (from_structure_id, to_structure_id, bouquet, status, answered_at, in_charge_at, outcome, broken_link)`);
    // The alerts journal over the weeks of the period.
    await q.query(`CREATE INDEX continuity_alert_indicators_idx ON continuity_alert (tenant_id, first_seen_at) INCLUDE (closed_at, structure_id, bouquet)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX continuity_alert_indicators_idx`);
    await q.query(`DROP INDEX referral_indicators_idx`);
    await q.query(`DROP INDEX contact_indicators_idx`);
    await q.query(`DROP TRIGGER contact_need_mask_delete ON contact_need`);
    await q.query(`DROP TRIGGER contact_need_mask_update ON contact_need`);
    await q.query(`DROP TRIGGER contact_need_mask_insert ON contact_need`);
    await q.query(`DROP FUNCTION contact_need_mask_changed()`);
    await q.query(`DROP FUNCTION contact_need_mask_added()`);
    await q.query(`DROP FUNCTION contact_need_mask(uuid)`);
    await q.query(`ALTER TABLE contact DROP COLUMN need_mask`);
  }
}
