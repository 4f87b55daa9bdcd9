/**
 * Who bench:load logs in, and the data each agent works on — all read from the seeded database
 * beforehand, so that every write of the run is one the API accepts:
 * - agents: generated professionals whose first active membership (the one a login opens) is a
 *   reception agent or a social worker of an active structure, taken one per structure in turn
 *   (every structure's first agent, then every structure's second…);
 * - per structure: its first active site (what the desk preselects), persons it follows (not merged,
 *   not anonymised: a contact may be logged, the page opened), search texts typed from their names,
 *   and orientation targets: (person it follows, another active structure named by an active consent
 *   of that person covering « identité et coordonnées », one active service of that structure).
 */
import { NEED_BOUQUET_CODES, type CurrentUser, type NeedBouquetCode, type Role } from '@passerelle/contracts';
import type { Pool } from 'pg';
import { performance } from 'node:perf_hooks';
import { Random } from '../scale/random';

export interface AgentAccount {
  userId: string;
  email: string;
  role: Role;
  structureId: string;
  structureName: string;
}

/** A logged-in session: what the browser holds after POST /api/auth/login. */
export interface Session {
  email: string;
  userId: string;
  tenantId: string;
  membershipId: string;
  role: Role;
  structureId: string;
  /** `passerelle_session=…; XSRF-TOKEN=…`, sent back as the browser does. */
  cookie: string;
  /** The XSRF-TOKEN cookie's value, echoed in the X-XSRF-TOKEN header of writes. */
  csrfToken: string;
}

export interface PersonRef {
  id: string;
  usageLastName: string | null;
  birthLastName: string | null;
  firstNames: string | null;
}

export interface OrientationTarget {
  personId: string;
  toStructureId: string;
  toServiceId: string | null;
  bouquet: NeedBouquetCode;
}

export interface StructureData {
  structureId: string;
  siteId: string | null;
  persons: PersonRef[];
  /** What agents type in the desk's search box for those persons. */
  searches: string[];
  orientations: OrientationTarget[];
}

/** Reception agents and social workers, one per structure in turn; `limit` at most. */
export async function findAgents(pool: Pool, limit: number): Promise<AgentAccount[]> {
  const { rows } = await pool.query<{ user_id: string; email: string; role: Role; structure_id: string; structure_name: string }>(
    `WITH first_membership AS (
       SELECT DISTINCT ON (m.user_id) m.user_id, m.role, m.structure_id
         FROM membership m WHERE m.deactivated_at IS NULL
        ORDER BY m.user_id, m.created_at, m.id)
     SELECT u.id AS user_id, u.email::text AS email, f.role, f.structure_id, s.name AS structure_name
       FROM first_membership f JOIN app_user u ON u.id = f.user_id JOIN structure s ON s.id = f.structure_id
      WHERE f.role IN ('reception_agent', 'social_worker') AND s.active AND u.password_hash IS NOT NULL
        AND (u.locked_until IS NULL OR u.locked_until < now())
      ORDER BY row_number() OVER (PARTITION BY f.structure_id ORDER BY u.email), s.name, u.email
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ userId: r.user_id, email: r.email, role: r.role, structureId: r.structure_id, structureName: r.structure_name }));
}

/** Logs in through the real route, as the web client does; returns the session cookies and CSRF token. */
export async function login(baseUrl: string, email: string, password: string): Promise<Session> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login of ${email}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const at = pair.indexOf('=');
    cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  const session = cookies.get('passerelle_session');
  const csrfToken = cookies.get('XSRF-TOKEN');
  if (!session || !csrfToken) throw new Error(`login of ${email}: no session or XSRF-TOKEN cookie in the answer`);
  const user = (await response.json()) as CurrentUser;
  const structureId = user.activeMembership.structure?.id;
  if (!structureId) throw new Error(`login of ${email}: the session acts for no structure`);
  return {
    email,
    userId: user.id,
    tenantId: user.tenant.id,
    membershipId: user.activeMembership.id,
    role: user.activeMembership.role,
    structureId,
    cookie: `passerelle_session=${session}; XSRF-TOKEN=${csrfToken}`,
    csrfToken,
  };
}

/**
 * Logs `count` sessions in, `batch` at a time: each agent once, then — when there are fewer agents
 * than sessions wanted (a small seed) — again, as a second workstation would. Returns the sessions and
 * each login's time.
 */
export async function loginAll(
  baseUrl: string,
  agents: readonly AgentAccount[],
  password: string,
  count: number,
  batch: number,
): Promise<{ sessions: Session[]; times: number[] }> {
  if (agents.length === 0) throw new Error('no reception agent or social worker to log in (membership table)');
  const sessions: Session[] = [];
  const times: number[] = [];
  for (let start = 0; start < count; start += batch) {
    const wave = Array.from({ length: Math.min(batch, count - start) }, (_, i) => agents[(start + i) % agents.length]);
    const done = await Promise.all(
      wave.map(async (agent) => {
        const t = performance.now();
        const session = await login(baseUrl, agent.email, password);
        times.push(performance.now() - t);
        return session;
      }),
    );
    sessions.push(...done);
  }
  return { sessions, times };
}

const SEARCH_CLEAN = /[^\p{L}\s'-]/gu;

/** What an agent types to find this person: a prefix of the name, the name and the first name's start, both in either order. */
export function searchesFor(person: PersonRef, random: Random): string[] {
  const last = (person.usageLastName ?? person.birthLastName ?? '').replace(SEARCH_CLEAN, '').trim().toLowerCase();
  const first = (person.firstNames ?? '').split(/\s+/)[0]?.replace(SEARCH_CLEAN, '').trim().toLowerCase() ?? '';
  if (last.length < 2) return first.length >= 2 ? [first] : [];
  const typed = [last.slice(0, Math.min(last.length, random.int(3, 5)))];
  if (first) {
    typed.push(`${last} ${first.slice(0, random.int(1, 3))}`);
    typed.push(random.chance(0.5) ? `${last} ${first}` : `${first} ${last}`);
  }
  return typed;
}

/** Sites, followed persons, search texts and orientation targets of the sessions' structures. */
export async function loadStructureData(pool: Pool, structureIds: readonly string[], perStructure: number, seed: number): Promise<Map<string, StructureData>> {
  const ids = [...new Set(structureIds)];
  const data = new Map<string, StructureData>(ids.map((id) => [id, { structureId: id, siteId: null, persons: [], searches: [], orientations: [] }]));
  const sites = await pool.query<{ structure_id: string; id: string }>(
    `SELECT DISTINCT ON (structure_id) structure_id, id FROM site WHERE structure_id = ANY ($1::uuid[]) AND active
      ORDER BY structure_id, immutable_unaccent(lower(name)), id`,
    [ids],
  );
  for (const r of sites.rows) (data.get(r.structure_id) as StructureData).siteId = r.id;

  const persons = await pool.query<{ structure_id: string; id: string; usage_last_name: string | null; birth_last_name: string | null; first_names: string | null }>(
    `SELECT s.id AS structure_id, p.id, p.usage_last_name, p.birth_last_name, p.first_names
       FROM unnest($1::uuid[]) AS s(id)
       CROSS JOIN LATERAL (
         SELECT p.id, p.usage_last_name, p.birth_last_name, p.first_names
           FROM person_follow f JOIN person p ON p.id = f.person_id
          WHERE f.structure_id = s.id AND p.merged_into_id IS NULL AND p.anonymized_at IS NULL
          ORDER BY f.person_id LIMIT $2) p`,
    [ids, perStructure],
  );
  const random = new Random(seed);
  for (const r of persons.rows) {
    const d = data.get(r.structure_id) as StructureData;
    const person = { id: r.id, usageLastName: r.usage_last_name, birthLastName: r.birth_last_name, firstNames: r.first_names };
    d.persons.push(person);
    d.searches.push(...searchesFor(person, random));
  }

  const targets = await pool.query<{ structure_id: string; person_id: string; to_structure_id: string; to_service_id: string | null; bouquet: number | null }>(
    `SELECT s.id AS structure_id, o.person_id, o.to_structure_id, sv.id AS to_service_id, sv.bouquet
       FROM unnest($1::uuid[]) AS s(id)
       CROSS JOIN LATERAL (
         SELECT c.person_id, c.recipient_structure_id AS to_structure_id
           FROM person_follow f
           JOIN person p ON p.id = f.person_id AND p.merged_into_id IS NULL AND p.anonymized_at IS NULL
           JOIN consent c ON c.person_id = f.person_id AND c.recipient_kind = 'structure' AND c.recipient_structure_id <> s.id
                         AND 'identity_contact' = ANY (c.categories) AND c.withdrawn_at IS NULL
                         AND (c.valid_until IS NULL OR c.valid_until > now() + interval '1 day')
           JOIN structure t ON t.id = c.recipient_structure_id AND t.active
          WHERE f.structure_id = s.id
          ORDER BY c.id LIMIT $2) o
       LEFT JOIN LATERAL (
         SELECT v.id, v.bouquets[1] AS bouquet FROM service v
          WHERE v.structure_id = o.to_structure_id AND v.active AND cardinality(v.bouquets) > 0
          ORDER BY v.id LIMIT 1) sv ON true`,
    [ids, perStructure],
  );
  for (const r of targets.rows) {
    const bouquet = (NEED_BOUQUET_CODES as readonly number[]).includes(r.bouquet ?? -1) ? (r.bouquet as NeedBouquetCode) : random.pick(NEED_BOUQUET_CODES);
    (data.get(r.structure_id) as StructureData).orientations.push({ personId: r.person_id, toStructureId: r.to_structure_id, toServiceId: r.to_service_id, bouquet });
  }
  return data;
}
