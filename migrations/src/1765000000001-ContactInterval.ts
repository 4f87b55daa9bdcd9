import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Class of the transaction-scoped advisory lock on one person's derived rows: the same as
 * continuity_gap_refresh's (migration ContinuityGaps1765000000000, class 14), so a contact's write
 * takes one lock per person, not two — two classes taken in opposite orders by two transactions
 * (an interval's, then a gap's; a gap's, then an interval's) could deadlock.
 */
const LOCK_CLASS = 14;
const LOCK = (person: string) => `PERFORM pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${person}::text))`;

/**
 * `contact.previous_contact_at`: the occurred_at of the same person's previous contact (any
 * structure, any channel, whenever), NULL for a person's first contact and for anonymous contacts.
 * "Previous" is in (occurred_at, id) order, so that two contacts at the same instant still have one
 * order. The continuity indicator (docs/indicators.md) takes the median of the intervals of the
 * period's contacts, occurred_at − previous_contact_at; a person's first contact of the period is the
 * one whose previous_contact_at is NULL or before the period's start (exact). With the previous
 * contact's time stored on each contact, that is one index-only range scan of the period instead of a
 * sort of every period contact by (person, time) for `lag()` (~600 ms at département scale, for a
 * 300 ms target: docs/performance.md).
 *
 * Kept exact by row triggers, whatever code path writes contacts:
 * - BEFORE INSERT (`contact_interval_set`): the new contact's own, from the person's previous
 *   contact. Set on the row being inserted rather than by an UPDATE afterwards: no second version of
 *   every new contact (an UPDATE of an indexed column is never HOT). It writes nothing else, so an
 *   INSERT … ON CONFLICT DO NOTHING that ends up skipped (a retried contact) changes nothing. The same
 *   trigger, BEFORE UPDATE OF person_id, occurred_at, clears the value of a contact re-dated before its
 *   previous one (the CHECK would reject the row); the AFTER trigger below then sets the right one;
 * - AFTER INSERT (`contact_interval_insert`): when the new contact is not the person's latest (a late
 *   entry, or several contacts of the person inserted by one statement in any order), the next
 *   contact's previous one changes too: the whole person is recomputed (`contact_interval_refresh`);
 * - AFTER DELETE or UPDATE OF person_id, occurred_at (`contact_interval_change`): re-dating, moving a
 *   contact to another person (a merge moves them all; attaching an anonymous contact), deleting —
 *   the persons before and after are recomputed.
 * A person has ~10 contacts: recomputing all of them is simple and exact in every case. The refresh
 * only writes `previous_contact_at`, so it fires no trigger of contact (they are all `UPDATE OF
 * person_id, occurred_at`, the need_mask triggers are on contact_need).
 *
 * A transaction-scoped advisory lock per person serialises the writers of one person's contacts: the
 * second waits for the first to commit, then reads its contact (READ COMMITTED: each statement of the
 * functions takes a new snapshot after the lock is granted). Bulk loads that disable user triggers
 * (seed:scale) must write the column themselves.
 *
 * The indicators' covering index `contact_indicators_idx` gains the column, so that the continuity
 * section stays an index-only scan.
 */
export class ContactInterval1765000000001 implements MigrationInterface {
  name = 'ContactInterval1765000000001';

  async up(q: QueryRunner): Promise<void> {
    // Dropped first: the backfill below then maintains one index fewer, and it is rebuilt once.
    await q.query(`DROP INDEX contact_indicators_idx`);
    await q.query(
      `ALTER TABLE contact ADD COLUMN previous_contact_at timestamptz CONSTRAINT contact_previous_contact_at_check CHECK (previous_contact_at <= occurred_at)`,
    );
    await q.query(`
      UPDATE contact c SET previous_contact_at = f.previous
        FROM (SELECT id, lag(occurred_at) OVER (PARTITION BY person_id ORDER BY occurred_at, id) AS previous
                FROM contact WHERE person_id IS NOT NULL) f
       WHERE c.id = f.id AND f.previous IS NOT NULL`);

    await q.query(`
      CREATE FUNCTION contact_interval_refresh(p_person uuid) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF p_person IS NULL THEN RETURN; END IF;
        ${LOCK('p_person')};
        UPDATE contact c SET previous_contact_at = f.previous
          FROM (SELECT id, lag(occurred_at) OVER (ORDER BY occurred_at, id) AS previous
                  FROM contact WHERE person_id = p_person) f
         WHERE c.id = f.id AND c.previous_contact_at IS DISTINCT FROM f.previous;
      END $$`);
    await q.query(`
      CREATE FUNCTION contact_interval_set() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          -- Re-dated before its previous contact: cleared, so that the CHECK holds until contact_interval_change
          -- recomputes the person (no lock here: that trigger takes the persons' locks in its own order).
          IF NEW.previous_contact_at > NEW.occurred_at THEN NEW.previous_contact_at := NULL; END IF;
          RETURN NEW;
        END IF;
        IF NEW.person_id IS NULL THEN
          NEW.previous_contact_at := NULL;
          RETURN NEW;
        END IF;
        ${LOCK('NEW.person_id')};
        -- No previous contact: no row, and SELECT INTO sets NULL.
        SELECT p.occurred_at INTO NEW.previous_contact_at
          FROM contact p
         WHERE p.person_id = NEW.person_id AND p.occurred_at <= NEW.occurred_at AND (p.occurred_at, p.id) < (NEW.occurred_at, NEW.id)
         ORDER BY p.occurred_at DESC, p.id DESC
         LIMIT 1;
        RETURN NEW;
      END $$`);
    // AFTER row triggers run once the statement is complete. A contact whose previous one the BEFORE trigger
    // could not know (inserted later, by the same statement) has that previous one inserted by the statement
    // and followed by it: that one's trigger recomputes the person.
    await q.query(`
      CREATE FUNCTION contact_interval_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM contact n WHERE n.person_id = NEW.person_id AND n.occurred_at >= NEW.occurred_at
                                                      AND (n.occurred_at, n.id) > (NEW.occurred_at, NEW.id)) THEN
          PERFORM contact_interval_refresh(NEW.person_id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION contact_interval_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM contact_interval_refresh(OLD.person_id);
          RETURN NULL;
        END IF;
        IF NEW.person_id IS NOT DISTINCT FROM OLD.person_id AND NEW.occurred_at IS NOT DISTINCT FROM OLD.occurred_at THEN RETURN NULL; END IF;
        -- Both persons' locks in one order (uuid order), whatever the direction of the move.
        IF NEW.person_id IS DISTINCT FROM OLD.person_id AND OLD.person_id IS NOT NULL AND NEW.person_id IS NOT NULL THEN
          ${LOCK('least(OLD.person_id, NEW.person_id)')};
          ${LOCK('greatest(OLD.person_id, NEW.person_id)')};
        END IF;
        PERFORM contact_interval_refresh(OLD.person_id);
        IF NEW.person_id IS DISTINCT FROM OLD.person_id THEN PERFORM contact_interval_refresh(NEW.person_id); END IF;
        -- Detached from its person (no code path does it today): an anonymous contact has no previous one.
        IF NEW.person_id IS NULL THEN
          UPDATE contact SET previous_contact_at = NULL WHERE id = NEW.id AND previous_contact_at IS NOT NULL;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER contact_interval_set BEFORE INSERT OR UPDATE OF person_id, occurred_at ON contact FOR EACH ROW EXECUTE FUNCTION contact_interval_set()`);
    await q.query(`
      CREATE TRIGGER contact_interval_insert AFTER INSERT ON contact
      FOR EACH ROW WHEN (NEW.person_id IS NOT NULL) EXECUTE FUNCTION contact_interval_inserted()`);
    await q.query(`
      CREATE TRIGGER contact_interval_change AFTER DELETE OR UPDATE OF person_id, occurred_at ON contact
      FOR EACH ROW EXECUTE FUNCTION contact_interval_changed()`);

    await q.query(`
      CREATE INDEX contact_indicators_idx ON contact (tenant_id, occurred_at)
        INCLUDE (structure_id, site_id, channel, answer, person_id, need_mask, previous_contact_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX contact_indicators_idx`);
    await q.query(`DROP TRIGGER contact_interval_change ON contact`);
    await q.query(`DROP TRIGGER contact_interval_insert ON contact`);
    await q.query(`DROP TRIGGER contact_interval_set ON contact`);
    await q.query(`DROP FUNCTION contact_interval_changed()`);
    await q.query(`DROP FUNCTION contact_interval_inserted()`);
    await q.query(`DROP FUNCTION contact_interval_set()`);
    await q.query(`DROP FUNCTION contact_interval_refresh(uuid)`);
    await q.query(`ALTER TABLE contact DROP COLUMN previous_contact_at`);
    await q.query(`
      CREATE INDEX contact_indicators_idx ON contact (tenant_id, occurred_at)
        INCLUDE (structure_id, site_id, channel, answer, person_id, need_mask)`);
  }
}
