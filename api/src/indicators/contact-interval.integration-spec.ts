import { migrations } from '@passerelle/migrations';
import type { QueryRunner } from 'typeorm';
import { createTestApp, type TestApp } from '../../test/test-app';
import { insertPerson } from '../contacts/testing/reception-fixtures';
import { continuityAggregate } from './indicators.repository';

/**
 * contact.previous_contact_at (migration ContactInterval1765000000001): the occurred_at of the same
 * person's previous contact in (occurred_at, id) order, NULL for a first or anonymous contact, kept by
 * triggers. After every step, each contact's stored value is compared with the one a window function
 * recomputes over the whole table, and a few values are checked by hand.
 */

/** Every contact whose stored previous contact's time differs from the window function's (none: []). */
const MISMATCHES_SQL = `
  SELECT c.id, c.person_id, c.occurred_at, c.previous_contact_at AS stored, w.previous AS expected
    FROM contact c
    JOIN (SELECT id, CASE WHEN person_id IS NOT NULL
                          THEN lag(occurred_at) OVER (PARTITION BY person_id ORDER BY occurred_at, id)
                     END AS previous
            FROM contact) w ON w.id = c.id
   WHERE c.previous_contact_at IS DISTINCT FROM w.previous`;

describe('contact intervals (integration)', () => {
  let t: TestApp;
  let structureId: string;
  let agentId: string;
  let P: string;
  let Q: string;

  beforeAll(async () => {
    t = await createTestApp();
    structureId = (await t.createStructure({ name: 'CCAS (test intervalles)' })).id;
    agentId = (await t.createAgent({ role: 'reception_agent', structureId })).user.id;
    P = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId });
    Q = await insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId });
  });
  afterAll(() => t.close());

  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = [], runner?: QueryRunner): Promise<T[]> =>
    (runner ?? t.dataSource).query(sql, params);

  /** Inserts a contact (explicit id when given) and returns its id. */
  async function contact(person: string | null, at: string, id?: string, runner?: QueryRunner): Promise<string> {
    const [row] = await query<{ id: string }>(
      `INSERT INTO contact (id, tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, occurred_at, answer)
       VALUES (coalesce($1::uuid, gen_random_uuid()), $2, gen_random_uuid(), $3, $4, $5, 'in_person', $6, 'information') RETURNING id`,
      [id ?? null, t.tenant.id, person, structureId, agentId, at],
      runner,
    );
    return row.id;
  }

  /** The contact's previous_contact_at, as an ISO string (null: none; undefined: no such contact). */
  async function previous(id: string): Promise<string | null | undefined> {
    const [row] = await query<{ p: Date | null }>(`SELECT previous_contact_at AS p FROM contact WHERE id = $1`, [id]);
    return row && (row.p === null ? null : row.p.toISOString());
  }

  async function expectExact(runner?: QueryRunner): Promise<void> {
    expect(await query(MISMATCHES_SQL, [], runner)).toEqual([]);
  }

  // The steps build on each other: the names below are the contacts of P and Q as they go.
  const c: Record<string, string> = {};

  it('inserts in time order: the first has none, each next one the time of the previous', async () => {
    c['jan5a'] = await contact(P, '2026-01-05T09:00:00Z');
    c['jan5b'] = await contact(P, '2026-01-05T10:00:00Z');
    c['jan7'] = await contact(P, '2026-01-07T10:00:00Z');
    expect([await previous(c['jan5a']), await previous(c['jan5b']), await previous(c['jan7'])]).toEqual([
      null,
      '2026-01-05T09:00:00.000Z',
      '2026-01-05T10:00:00.000Z',
    ]);
    await expectExact();
  });

  it('inserts out of order: before the first, and between two (the next one changes)', async () => {
    c['jan1'] = await contact(P, '2026-01-01T09:00:00Z');
    expect(await previous(c['jan1'])).toBeNull();
    expect(await previous(c['jan5a'])).toBe('2026-01-01T09:00:00.000Z');
    c['jan6'] = await contact(P, '2026-01-06T10:00:00Z');
    expect(await previous(c['jan6'])).toBe('2026-01-05T10:00:00.000Z');
    expect(await previous(c['jan7'])).toBe('2026-01-06T10:00:00.000Z'); // no longer 01-05 10:00
    await expectExact();
  });

  it('orders two contacts at the same instant by id (uuid byte order), whichever is inserted first', async () => {
    const high = 'ffffffff-0000-4000-8000-000000000001';
    const low = '0fffffff-0000-4000-8000-000000000001';
    await contact(P, '2026-01-08T10:00:00Z', high);
    await contact(P, '2026-01-08T10:00:00Z', low); // earlier in (occurred_at, id) order, inserted later
    expect(await previous(low)).toBe('2026-01-07T10:00:00.000Z');
    expect(await previous(high)).toBe('2026-01-08T10:00:00.000Z'); // `low`'s, the same instant
    c['tieLow'] = low;
    c['tieHigh'] = high;
    await expectExact();
  });

  it('one statement inserting several contacts of a person in any order', async () => {
    c['q1'] = await contact(Q, '2026-02-01T09:00:00.000Z');
    c['q2'] = await contact(Q, '2026-02-01T09:00:01.999Z');
    expect(await previous(c['q2'])).toBe('2026-02-01T09:00:00.000Z');
    const rows = await query<{ id: string; occurred_at: Date }>(
      `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, occurred_at, answer)
       SELECT $1, gen_random_uuid(), $2, $3, $4, 'phone', at::timestamptz, 'information'
         FROM unnest($5::text[]) AS at
       RETURNING id, occurred_at`,
      [t.tenant.id, Q, structureId, agentId, ['2026-02-10T09:00:00Z', '2026-01-20T09:00:00Z', '2026-02-05T09:00:00Z']],
    );
    const byDay = Object.fromEntries(rows.map((r) => [r.occurred_at.toISOString().slice(0, 10), r.id]));
    c['q0'] = byDay['2026-01-20'];
    expect(await previous(byDay['2026-01-20'])).toBeNull(); // now Q's first contact
    expect(await previous(c['q1'])).toBe('2026-01-20T09:00:00.000Z');
    expect(await previous(byDay['2026-02-05'])).toBe('2026-02-01T09:00:01.999Z'); // to the millisecond
    expect(await previous(byDay['2026-02-10'])).toBe('2026-02-05T09:00:00.000Z');
    await expectExact();
  });

  it('a retried insert (ON CONFLICT DO NOTHING) changes nothing', async () => {
    const [{ key }] = await query<{ key: string }>(`SELECT client_request_id AS key FROM contact WHERE id = $1`, [c['jan6']]);
    const inserted = await query(
      `INSERT INTO contact (tenant_id, client_request_id, person_id, structure_id, agent_user_id, channel, occurred_at, answer)
       VALUES ($1, $2, $3, $4, $5, 'in_person', '2026-01-06T12:00:00Z', 'information')
       ON CONFLICT (tenant_id, client_request_id) DO NOTHING RETURNING id`,
      [t.tenant.id, key, P, structureId, agentId],
    );
    expect(inserted).toEqual([]);
    expect(await previous(c['jan7'])).toBe('2026-01-06T10:00:00.000Z'); // still
    await expectExact();
  });

  it('re-dating a contact: it, its old next and its new next change', async () => {
    // jan1 (P's first, 01-01 09:00) moves between 01-07 10:00 and the tie of 01-08 10:00.
    await query(`UPDATE contact SET occurred_at = '2026-01-07T12:00:00Z' WHERE id = $1`, [c['jan1']]);
    expect(await previous(c['jan5a'])).toBeNull(); // now P's first
    expect(await previous(c['jan1'])).toBe('2026-01-07T10:00:00.000Z');
    expect(await previous(c['tieLow'])).toBe('2026-01-07T12:00:00.000Z'); // instead of 01-07 10:00
    expect(await previous(c['tieHigh'])).toBe('2026-01-08T10:00:00.000Z');
    await expectExact();
  });

  it('re-dating a contact before its previous one (the CHECK holds), back where it was', async () => {
    // jan1's previous contact is at 01-07 10:00: re-dated to 01-01 09:00, it is P's first again.
    await query(`UPDATE contact SET occurred_at = '2026-01-01T09:00:00Z' WHERE id = $1`, [c['jan1']]);
    expect(await previous(c['jan1'])).toBeNull();
    expect(await previous(c['jan5a'])).toBe('2026-01-01T09:00:00.000Z');
    expect(await previous(c['tieLow'])).toBe('2026-01-07T10:00:00.000Z');
    await expectExact();
  });

  it('moving contacts to another person, as a merge does; then one back', async () => {
    await query(`UPDATE contact SET person_id = $2 WHERE person_id = $1`, [Q, P]);
    expect(await query(`SELECT count(*)::int AS n FROM contact WHERE person_id = $1`, [Q])).toEqual([{ n: 0 }]);
    // Q's first contact (01-20 09:00) now follows P's last before it, the tie of 01-08 10:00.
    expect(await previous(c['q0'])).toBe('2026-01-08T10:00:00.000Z');
    await expectExact();
    await query(`UPDATE contact SET person_id = $2 WHERE id = $1`, [c['q1'], Q]);
    expect(await previous(c['q1'])).toBeNull(); // Q's only contact
    expect(await previous(c['q2'])).toBe('2026-01-20T09:00:00.000Z'); // P's: q0, no longer q1
    await expectExact();
  });

  it('deleting a contact: the next one then follows the one before', async () => {
    await query(`DELETE FROM contact WHERE id = $1`, [c['jan6']]);
    expect(await previous(c['jan7'])).toBe('2026-01-05T10:00:00.000Z');
    await expectExact();
  });

  it('anonymous contacts have none; attached to a person they get one; detached, none again', async () => {
    const anonymous = await contact(null, '2026-01-06T10:00:00Z');
    expect(await previous(anonymous)).toBeNull();
    await expectExact();
    await query(`UPDATE contact SET person_id = $2 WHERE id = $1`, [anonymous, P]); // what attaching a contact does
    expect(await previous(anonymous)).toBe('2026-01-05T10:00:00.000Z');
    expect(await previous(c['jan7'])).toBe('2026-01-06T10:00:00.000Z'); // the attached one
    await expectExact();
    await query(`UPDATE contact SET person_id = NULL WHERE id = $1`, [anonymous]);
    expect(await previous(anonymous)).toBeNull();
    expect(await previous(c['jan7'])).toBe('2026-01-05T10:00:00.000Z');
    await expectExact();
  });

  it('updates of other columns write nothing (no trigger fires on them)', async () => {
    const before = await query(`SELECT id, xmin::text AS version FROM contact ORDER BY id`);
    await query(`UPDATE contact SET summary = 'Vu' WHERE id = $1`, [c['jan7']]);
    const after = await query<{ id: string; version: string }>(`SELECT id, xmin::text AS version FROM contact ORDER BY id`);
    expect(after.filter((r, i) => r.version !== (before[i] as { version: string }).version).map((r) => r.id)).toEqual([c['jan7']]);
    await expectExact();
  });

  it('two transactions adding contacts of the same person at once: the second waits, then sees the first', async () => {
    const first = t.dataSource.createQueryRunner();
    const second = t.dataSource.createQueryRunner();
    try {
      await first.startTransaction();
      await second.startTransaction();
      const early = await contact(P, '2026-03-01T09:00:00Z', undefined, first);
      // Without the lock, this one would not see `early` (uncommitted) and take P's previous contact instead.
      const late = contact(P, '2026-03-01T10:00:00Z', undefined, second);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.commitTransaction();
      const lateId = await late;
      await second.commitTransaction();
      expect(await previous(lateId)).toBe('2026-03-01T09:00:00.000Z'); // `early`
      expect(await previous(early)).toBe('2026-02-10T09:00:00.000Z'); // P's 02-10 09:00 (one of Q's, merged)
      await expectExact();
    } finally {
      if (first.isTransactionActive) await first.rollbackTransaction();
      if (second.isTransactionActive) await second.rollbackTransaction();
      await first.release();
      await second.release();
    }
  });

  it('the continuity indicator: a person’s first contact of the period, exactly at the start', async () => {
    // June 2026 (Paris): [S, E). Without a filter, a person's first contact of the period is the one whose previous
    // contact is none or before S.
    const S = '2026-05-31T22:00:00.000Z';
    const E = '2026-06-30T22:00:00.000Z';
    const R = await Promise.all([1, 2, 3].map(() => insertPerson(t.dataSource, { tenantId: t.tenant.id, structureId })));
    await contact(R[0], '2026-05-31T21:59:59.999Z'); // R1: S − 1 ms, before the period
    await contact(R[0], S); //                              S: previous 1 ms before S → R1's first of the period
    await contact(R[0], '2026-05-31T23:00:00.000Z'); //     S + 1 h: previous exactly at S → not the first
    await contact(R[1], S, '10000000-0000-4000-8000-000000000002'); // R2: S, no previous → the first
    await contact(R[1], S, 'e0000000-0000-4000-8000-000000000002'); //     S again, later by id: previous exactly at S → not the first
    await contact(R[2], '2026-05-20T10:00:00.000Z'); // R3: before the period, then exactly at E (after it): not seen
    await contact(R[2], E);
    await expectExact();
    const referent = (person: string) =>
      query(
        `INSERT INTO referent (tenant_id, person_id, user_id, structure_id, criteria, chosen_with_person, started_at, ended_at, ended_reason)
         VALUES ($1, $2, $3, $4, ARRAY['relevance'], true, '2026-01-01T10:00:00Z', NULL, NULL)`,
        [t.tenant.id, person, agentId, structureId],
      );
    for (const person of R) await referent(person); // active at the end: R1 and R2 counted once each, R3 not seen
    const period = { tenantId: t.tenant.id, start: new Date(S), end: new Date(E) };
    const weeks = { mondays: [], start: new Date(S), end: new Date(E) };
    // Intervals of the period's contacts: R1 1 ms and 1 h, R2 0 (the tie) → 3; median 1 ms → 0.0 d.
    const expected = { personsSeen: 2, personsWithReferent: 2, gaps: 3, medianDaysBetweenContacts: 0 };
    expect(await continuityAggregate(t.dataSource.manager, period, weeks)).toMatchObject(expected);
    // The same through the filtered path (count(DISTINCT …)): every one of these contacts is in person.
    expect(await continuityAggregate(t.dataSource.manager, { ...period, channel: 'in_person' }, weeks)).toMatchObject(expected);
  });

  it('the migration goes down and up again, backfilling every previous contact', async () => {
    const runner = t.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const Migration = migrations.find((m) => m.name === 'ContactInterval1765000000001');
      if (!Migration) throw new Error('migration ContactInterval1765000000001 not listed');
      const migration = new Migration();
      const indexDef = async () =>
        ((await runner.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'contact_indicators_idx'`)) as { indexdef: string }[])[0]?.indexdef;
      const triggers = async () =>
        ((await runner.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'contact'::regclass AND tgname LIKE 'contact_interval%' ORDER BY 1`)) as { tgname: string }[]).map(
          (r) => r.tgname,
        );
      expect(await indexDef()).toMatch(/INCLUDE \(structure_id, site_id, channel, answer, person_id, need_mask, previous_contact_at\)$/);
      expect(await triggers()).toEqual(['contact_interval_change', 'contact_interval_insert', 'contact_interval_set']);

      await migration.down(runner);
      const [{ n }] = await runner.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'contact' AND column_name = 'previous_contact_at'`);
      expect(n).toBe(0);
      expect(await triggers()).toEqual([]);
      expect(await indexDef()).toMatch(/INCLUDE \(structure_id, site_id, channel, answer, person_id, need_mask\)$/);
      // Contacts written while the column does not exist: the backfill has to compute them.
      await contact(P, '2026-01-03T09:00:00Z', undefined, runner);
      await runner.query(`UPDATE contact SET occurred_at = occurred_at + interval '1 hour' WHERE id = $1`, [c['q1']]);

      await migration.up(runner);
      await expectExact(runner);
      const [row] = await runner.query(`SELECT previous_contact_at AS p FROM contact WHERE id = $1`, [c['jan7']]);
      expect((row.p as Date).toISOString()).toBe('2026-01-05T10:00:00.000Z');
      const [{ filled }] = await runner.query(`SELECT count(previous_contact_at)::int AS filled FROM contact`);
      expect(filled).toBeGreaterThan(5);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
