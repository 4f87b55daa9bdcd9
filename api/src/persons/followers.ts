import type { NetworkSearchHit } from '@passerelle/contracts';
import type { Db } from './persons.repository';

type KnownBy = NetworkSearchHit['knownBy'];

/** The structures that follow each of these persons, with the structure's public contact details. */
export async function findFollowers(db: Db, personIds: string[]): Promise<Map<string, KnownBy>> {
  const out = new Map<string, KnownBy>();
  if (personIds.length === 0) return out;
  const rows = (await db.query(
    `SELECT pf.person_id, s.id, s.name, s.phone, s.email::text AS email
       FROM person_follow pf JOIN structure s ON s.id = pf.structure_id
      WHERE pf.person_id = ANY ($1::uuid[])
      ORDER BY pf.since, s.name`,
    [personIds],
  )) as { person_id: string; id: string; name: string; phone: string | null; email: string | null }[];
  for (const r of rows) {
    const list = out.get(r.person_id) ?? [];
    list.push({ structureId: r.id, structureName: r.name, phone: r.phone, email: r.email });
    out.set(r.person_id, list);
  }
  return out;
}
