// Test data for the reception integration tests: persons are inserted in SQL (with the structures
// that follow them), independently of the persons API.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

export interface TestPersonInput {
  tenantId: string;
  /** The structure that created the file (and follows the person). */
  structureId: string;
  /** Other structures that follow the person. */
  alsoFollowedBy?: string[];
  usageLastName?: string | null;
  birthLastName?: string | null;
  firstNames?: string | null;
}

export async function insertPerson(ds: DataSource, input: TestPersonInput): Promise<string> {
  const [row]: { id: string }[] = await ds.query(
    `INSERT INTO person (tenant_id, usage_last_name, birth_last_name, first_names, created_by_structure_id)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [input.tenantId, input.usageLastName ?? `Nom-${randomUUID().slice(0, 6)}`, input.birthLastName ?? null, input.firstNames ?? 'Alex', input.structureId],
  );
  await followPerson(ds, input.tenantId, row.id, input.structureId, 'created');
  for (const other of input.alsoFollowedBy ?? []) await followPerson(ds, input.tenantId, row.id, other, 'contact');
  return row.id;
}

export async function followPerson(ds: DataSource, tenantId: string, personId: string, structureId: string, reason = 'contact'): Promise<void> {
  await ds.query(`INSERT INTO person_follow (tenant_id, person_id, structure_id, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    tenantId,
    personId,
    structureId,
    reason,
  ]);
}

export async function insertSite(ds: DataSource, tenantId: string, structureId: string, kind: 'fixed' | 'itinerant' = 'fixed'): Promise<string> {
  const [row]: { id: string }[] = await ds.query(
    `INSERT INTO site (tenant_id, structure_id, name, kind, commune_insee, recurrence)
     VALUES ($1, $2, $3, $4, '05023', $5) RETURNING id`,
    [tenantId, structureId, `Lieu ${randomUUID().slice(0, 6)}`, kind, kind === 'itinerant' ? 'FREQ=WEEKLY;BYDAY=TU' : null],
  );
  return row.id;
}

/** Row counts of every table a contact create writes, to prove that a failed create wrote nothing. */
export async function receptionCounts(ds: DataSource): Promise<Record<string, number>> {
  const [row]: Record<string, number>[] = await ds.query(`
    SELECT (SELECT count(*)::int FROM contact) AS contact,
           (SELECT count(*)::int FROM contact_need) AS contact_need,
           (SELECT count(*)::int FROM request) AS request,
           (SELECT count(*)::int FROM request_contact) AS request_contact,
           (SELECT count(*)::int FROM person_follow) AS person_follow,
           (SELECT count(*)::int FROM audit_event WHERE action NOT LIKE 'auth.%' AND action <> 'authz.denied') AS audit_event`);
  return row;
}
