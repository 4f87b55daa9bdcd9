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

type NetworkReferent = NonNullable<NetworkSearchHit['referent']>;

/** The current référent de parcours of each of these persons, with their structure's public contact details. */
export async function findActiveReferents(db: Db, personIds: string[]): Promise<Map<string, NetworkReferent>> {
  const out = new Map<string, NetworkReferent>();
  if (personIds.length === 0) return out;
  const rows = (await db.query(
    `SELECT r.person_id, concat_ws(' ', u.first_name, u.last_name) AS name, s.name AS structure_name, s.phone, s.email::text AS email
       FROM referent r JOIN app_user u ON u.id = r.user_id JOIN structure s ON s.id = r.structure_id
      WHERE r.person_id = ANY ($1::uuid[]) AND r.ended_at IS NULL`,
    [personIds],
  )) as { person_id: string; name: string; structure_name: string; phone: string | null; email: string | null }[];
  for (const r of rows) out.set(r.person_id, { name: r.name, structureName: r.structure_name, phone: r.phone, email: r.email });
  return out;
}
