import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BirthDatePrecision, ContactPreference, HouseholdSituation, NationalityGroup, PersonSearchHit } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import type { BirthDate } from './birth-date';
import type { PersonSearchInput } from './search-query';

/** Runs SQL: an EntityManager (inside a transaction when thresholds are set), the DataSource, a pg client. */
export interface Db {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * "The caller may see person `alias`" as SQL, from PersonAccessService.visibleSql: the repository never
 * decides visibility itself, it only splices the policy's condition into its queries.
 */
export type VisibleSqlFor = (alias: string, firstParam: number) => { sql: string; params: unknown[] };

/**
 * Trigram thresholds. A single word may have one typo: `<%` (the word against the best-matching
 * stretch of the names) at FUZZY_ONE_WORD ("lefevre" ~ "lefebvre" = 0.55). Several words: the whole
 * query against the names, at FUZZY_WORDS ("dpuuy nestor" ~ "dupuy nestor" = 0.62, while one word
 * alone, "dupont marie" ~ "dupont anne", is 0.54). Duplicates: `%` compares the whole names
 * (order-free), stricter.
 */
export const FUZZY_ONE_WORD = 0.5;
export const FUZZY_WORDS = 0.55;
export const DUPLICATE_SIMILARITY = 0.6;
export const DUPLICATE_CANDIDATES_MAX = 5;

export interface PersonRow {
  id: string;
  usage_last_name: string | null;
  birth_last_name: string | null;
  first_names: string | null;
  birth_date: string | null;
  birth_date_precision: BirthDatePrecision | null;
  commune_insee: string | null;
  commune_name: string | null;
  no_stable_home: boolean;
  domiciliation: string | null;
  phone: string | null;
  email: string | null;
  languages: string[];
  needs_interpreter: boolean;
  contact_preference: ContactPreference | null;
  household: HouseholdSituation | null;
  dependent_children: number | null;
  nationality_group: NationalityGroup | null;
  created_at: Date;
  updated_at: Date;
}

interface HitRow {
  id: string;
  usage_last_name: string | null;
  birth_last_name: string | null;
  first_names: string | null;
  birth_date: string | null;
  birth_date_precision: BirthDatePrecision | null;
  commune_name: string | null;
  score: number;
  last_contact_at: Date | null;
}

const PERSON_SELECT = `
  SELECT p.id, p.usage_last_name, p.birth_last_name, p.first_names,
         to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.birth_date_precision,
         p.commune_insee, c.name AS commune_name, p.no_stable_home, p.domiciliation, p.phone, p.email::text AS email,
         p.languages, p.needs_interpreter, p.contact_preference, p.household, p.dependent_children, p.nationality_group,
         p.created_at, p.updated_at
    FROM person p
    LEFT JOIN commune c ON c.tenant_id = p.tenant_id AND c.insee_code = p.commune_insee`;

/** What a search hit shows, plus the ranking key; the rest is added on the final page (withLastContact). */
const HIT_COLUMNS = `
  p.id, p.tenant_id, p.usage_last_name, p.birth_last_name, p.first_names,
  to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.birth_date_precision, p.commune_insee, p.search_text`;

/**
 * True when the person's birth date is compatible with the searched one ($date, $precision), compared at
 * the coarser of the two precisions: a person born "in 1984" matches a search for 1984-06-12.
 */
const birthMatches = (date: string, precision: string) => `
  CASE WHEN ${date}::date IS NULL OR p.birth_date IS NULL THEN false
       WHEN p.birth_date_precision = 'year' OR ${precision}::text = 'year'
         THEN date_trunc('year', p.birth_date) = date_trunc('year', ${date}::date)
       WHEN p.birth_date_precision = 'month' OR ${precision}::text = 'month'
         THEN date_trunc('month', p.birth_date) = date_trunc('month', ${date}::date)
       ELSE p.birth_date = ${date}::date END`;

/**
 * A searched birth date filters out persons born otherwise; persons whose birth date is unknown stay
 * (ranked after), unless `known`: then only compatible known birth dates.
 */
const birthFilter = (date: string, precision: string, known = false) =>
  `(${date}::date IS NULL OR ${known ? '' : 'p.birth_date IS NULL OR '}${birthMatches(date, precision)})`;

/** The commune and the last contact of each hit, for the returned page only. */
const withLastContact = (page: string) => `
  SELECT hit.*, c.name AS commune_name,
         (SELECT max(ct.occurred_at) FROM contact ct WHERE ct.person_id = hit.id) AS last_contact_at
    FROM (${page}) hit
    LEFT JOIN commune c ON c.tenant_id = hit.tenant_id AND c.insee_code = hit.commune_insee
   ORDER BY hit.ranking DESC, hit.search_text, hit.id`;

/**
 * Name search: one statement in up to four steps, each step's scan running only when the steps
 * before found fewer persons than asked (a one-time filter: the frequent case — a name typed as it is
 * on the file — costs one short index scan):
 *
 * 1. prefix_match — the names begin with the query, as agents type them ("NOM Prénom", "dupo"): a
 *    range scan of the byte-ordered b-tree (tenant_id, search_text COLLATE "C") that returns rows in
 *    order and stops after the first page, however frequent the name. With a birth date, only files
 *    whose known birth date matches (the page is theirs; files without one come in the next steps).
 * 2. word_match — every typed word begins a word of the names, in any order ("zoe lef"; "ndia" for
 *    "N'Diaye"): one regular expression per word on the GIN trigram index, which intersects them.
 *    At most SCANNED are read (a query that matches more — a lone first name — is too vague for the
 *    order among them to matter), and the PRE_RANKED best by a cheap pre-rank are kept.
 * 3. typo_match — one word: close to a word of the names (`<%` on the GIN trigram index, word
 *    similarity ≥ FUZZY_ONE_WORD). Several: one of them may be misspelt — all the others begin a word
 *    of the names and its first letter begins one (people seldom miss the first letter), each such
 *    group an index intersection — and the whole query is close to the names (≥ FUZZY_WORDS).
 * 4. partial_match — 3+ words and still nothing: all the words but one begin a word of the names (a
 *    middle name not on the file, a garbled word); the likeness score sorts them out.
 *
 * Score 0–1 ("likeness"): 0.45 × word similarity of the query to the names, 0.15 × whole-string
 * similarity (prefers files without extra names), 0.3 for the words (all whole words of the names: 1;
 * all beginnings of one, as while typing: 0.5; found once spaces are ignored, "ndiaye" in "n diaye":
 * 0.4), 0.1 when the names begin with the query (0.05 with its first word: the surname typed first).
 * A compatible known birth date adds 0.1 to the rank, not to the score.
 * Parameters: $1 query text, $2 birth date, $3 its precision, $4 limit, $5… the words, then visibility.
 */
export const SCANNED = 500;
export const PRE_RANKED = 50;
const WORD_PARAM = 5;

/** The normalised query, its words, and "the names begin with the query". */
const QUERY = `search_normalize($1)`;
const QUERY_WORDS = `string_to_array(${QUERY}, ' ')`;
const STARTS_WITH_QUERY = `(p.search_text COLLATE "C") LIKE ${QUERY} || '%'`;
/** The names begin with the first typed word (the surname, as agents type it first). */
const FIRST_WORD_STARTS = `(p.search_text COLLATE "C") LIKE (${QUERY_WORDS})[1] || '%'`;
/** What each step hands on: enough to score, show and order a hit. */
const CANDIDATE = `p.id, p.tenant_id, p.search_text, p.usage_last_name, p.birth_last_name, p.first_names,
             p.birth_date, p.birth_date_precision, p.commune_insee`;

/**
 * "A word of the names begins with typed word n" (or with its first `letters`): a regular expression
 * whose trigrams (padded at the word start: "  d", " du", "dup"…) the GIN index matches exactly. The
 * first letter may stand alone, as names with an elided particle are stored ("N'Diaye" → "n diaye",
 * found by "ndia").
 */
function beginsAWord(index: number, letters?: number): string {
  const word = `search_normalize($${WORD_PARAM + index})`;
  if (letters) return `p.search_text ~ ('(^| )' || substr(${word}, 1, ${letters}))`;
  return `p.search_text ~ ('(^| )' || substr(${word}, 1, 1) || ' ?' || substr(${word}, 2))`;
}

/** Groups of conditions, one per typed word left out or loosened; each an index intersection, all a union. */
const anyOf = (groups: string[][]) => `((${groups.map((g) => g.join(' AND ')).join(')\n              OR (')}))`;

function typoConditions(words: string[]): string[] {
  if (words.length === 1) return [`search_normalize($${WORD_PARAM}) <% p.search_text`];
  return [
    anyOf(words.map((_, misspelt) => words.map((_w, i) => (i === misspelt ? beginsAWord(i, 1) : beginsAWord(i))))),
    `word_similarity(${QUERY}, p.search_text) >= ${FUZZY_WORDS}`,
  ];
}

function searchByNameSql(words: string[], visible: string): string {
  const where = (conditions: string[], knownBirth = false) =>
    [...conditions, visible, birthFilter('$2', '$3', knownBirth)].join('\n           AND ');
  const partial = words.length >= 3;
  return withLastContact(`
    WITH prefix_match AS MATERIALIZED (
      SELECT ${CANDIDATE}
        FROM person p
       WHERE ${where([STARTS_WITH_QUERY], true)}
       ORDER BY p.search_text COLLATE "C", p.id
       LIMIT $4
    ), word_match AS MATERIALIZED (
      SELECT * FROM (
        SELECT ${CANDIDATE}
          FROM person p
         WHERE (SELECT count(*) FROM prefix_match) < $4
           AND ${where(words.map((_, i) => beginsAWord(i)))}
         LIMIT ${SCANNED}
      ) p
      ORDER BY ${STARTS_WITH_QUERY} DESC, ${FIRST_WORD_STARTS} DESC, ${QUERY_WORDS} <@ string_to_array(p.search_text, ' ') DESC,
               length(p.search_text), p.search_text, p.id
      LIMIT ${PRE_RANKED}
    ), typo_match AS MATERIALIZED (
      SELECT ${CANDIDATE}
        FROM person p
       WHERE (SELECT count(*) FROM (SELECT id FROM prefix_match UNION SELECT id FROM word_match) found) < $4
         AND ${where(typoConditions(words))}
       LIMIT ${SCANNED}
    )${
      partial
        ? `, partial_match AS MATERIALIZED (
      SELECT ${CANDIDATE}
        FROM person p
       WHERE NOT EXISTS (SELECT FROM prefix_match) AND NOT EXISTS (SELECT FROM word_match) AND NOT EXISTS (SELECT FROM typo_match)
         AND ${where([anyOf(words.map((_, left) => words.flatMap((_w, i) => (i === left ? [] : [beginsAWord(i)]))))])}
       LIMIT ${SCANNED}
    )`
        : ''
    }, candidate AS (
      SELECT * FROM prefix_match UNION SELECT * FROM word_match UNION SELECT * FROM typo_match${partial ? ' UNION SELECT * FROM partial_match' : ''}
    ), measured AS MATERIALIZED (
      SELECT p.*, word_similarity(${QUERY}, p.search_text) AS word_sim FROM candidate p
    ), scored AS MATERIALIZED (
      SELECT p.*,
             round((0.45 * p.word_sim
                  + 0.15 * similarity(${QUERY}, p.search_text)
                  + 0.3 * CASE WHEN ${QUERY_WORDS} <@ string_to_array(p.search_text, ' ') THEN 1
                               WHEN p.search_text ~ ALL (ARRAY(SELECT '(^| )' || w FROM unnest(${QUERY_WORDS}) AS w)) THEN 0.5
                               WHEN replace(p.search_text, ' ', '') LIKE ALL (ARRAY(SELECT '%' || w || '%' FROM unnest(${QUERY_WORDS}) AS w)) THEN 0.4
                               ELSE 0 END
                  + CASE WHEN ${STARTS_WITH_QUERY} THEN 0.1 WHEN ${FIRST_WORD_STARTS} THEN 0.05 ELSE 0 END)::numeric, 3)::float8 AS score,
             ${birthMatches('$2', '$3')} AS birth_match
        FROM measured p
    )
    SELECT ${HIT_COLUMNS}, p.score, p.score + CASE WHEN p.birth_match THEN 0.1 ELSE 0 END AS ranking
      FROM scored p
     ORDER BY ranking DESC, p.search_text, p.id
     LIMIT $4`);
}

/**
 * Phone: a range on the (tenant_id, phone) b-tree: [digits, next prefix) holds every number beginning
 * with the typed digits (all are 10 national digits). Exact number: score 1; a beginning: its share.
 * Parameters: $1 digits, $2 upper bound (null: none), $3 birth date, $4 precision, $5 limit, then visibility.
 */
const SEARCH_BY_PHONE = (visible: string) =>
  withLastContact(`
    SELECT ${HIT_COLUMNS}, s.score, s.score AS ranking
      FROM person p
      CROSS JOIN LATERAL (SELECT CASE WHEN p.phone = $1 THEN 1 ELSE round(length($1) / 10.0, 3)::float8 END AS score) s
     WHERE p.phone >= $1 AND ($2::text IS NULL OR p.phone < $2)
       AND ${visible}
       AND ${birthFilter('$3', '$4')}
     ORDER BY p.phone, p.id
     LIMIT $5`);

/**
 * E-mail: the whole address (citext equality on the (tenant_id, email) index), or, while it is being
 * typed, its beginning (LIKE on the text_pattern_ops index of migration PersonSearchPrefix).
 * Parameters: $1 address or beginning (LIKE-escaped), $2 birth date, $3 precision, $4 limit, then visibility.
 */
const SEARCH_BY_EMAIL = (visible: string, complete: boolean) =>
  withLastContact(`
    SELECT ${HIT_COLUMNS}, s.score, s.score AS ranking
      FROM person p
      CROSS JOIN LATERAL (SELECT CASE WHEN lower(p.email::text) = $1 THEN 1 ELSE 0.5 END::float8 AS score) s
     WHERE ${complete ? `p.email = $1::citext` : `lower(p.email::text) LIKE $1 || '%'`}
       AND ${visible}
       AND ${birthFilter('$2', '$3')}
     ORDER BY ranking DESC, lower(p.email::text), p.id
     LIMIT $4`);

/**
 * Possible duplicates of a person being created, among those the caller may see: same phone, same
 * e-mail, or names close as a whole (`%`, any order) unless both birth years are known and differ.
 * Parameters: $1 names, $2 phone, $3 e-mail, $4 birth year, $5 limit, then visibility.
 */
const DUPLICATES = (visible: string) =>
  withLastContact(`
    SELECT ${HIT_COLUMNS}, s.score, s.score AS ranking
      FROM person p
      CROSS JOIN LATERAL (
        SELECT CASE WHEN p.phone = $2 OR p.email = $3::citext THEN 1
                    ELSE round(similarity(search_normalize($1), p.search_text)::numeric, 3)::float8 END AS score
      ) s
     WHERE ${visible}
       AND (($2::text IS NOT NULL AND p.phone = $2)
         OR ($3::text IS NOT NULL AND p.email = $3::citext)
         OR (search_normalize($1) <> '' AND search_normalize($1) % p.search_text
             AND ($4::int IS NULL OR p.birth_date IS NULL OR extract(year FROM p.birth_date) = $4)))
     ORDER BY ranking DESC, p.search_text, p.id
     LIMIT $5`);

/**
 * Settings of a search or duplicate check, for its transaction only (SET LOCAL): the trigram
 * thresholds of `<%` and `%`, and plans for latency. Every query reads a bounded set of candidates
 * (a page, at most SCANNED, or what the trigram conditions let through), so checking the access
 * policy row by row (one index probe each) is right; but the planner cannot know it, and for a
 * structure that follows many persons it would scan all its follows into a hash table, or start
 * parallel workers, each costing more than the whole search.
 */
async function setSearchSettings(db: Db): Promise<void> {
  await db.query(
    `SELECT set_config('pg_trgm.word_similarity_threshold', $1, true),
            set_config('pg_trgm.similarity_threshold', $2, true),
            set_config('max_parallel_workers_per_gather', '0', true),
            set_config('enable_hashjoin', 'off', true),
            set_config('enable_mergejoin', 'off', true)`,
    [String(FUZZY_ONE_WORD), String(DUPLICATE_SIMILARITY)],
  );
}

/**
 * The database side of person files: search, duplicates, reading, merging. Plain SQL, readable as SQL;
 * usable outside Nest (the search benchmark runs the very same queries).
 */
@Injectable()
export class PersonsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The search box. Must run inside a transaction (SET LOCAL of the settings, see setSearchSettings).
   * `visibleFor` is the access policy's SQL; `birth` the explicit birth filter (else the one typed in `q`).
   */
  async search(db: Db, visibleFor: VisibleSqlFor, input: PersonSearchInput, birth: BirthDate | null, limit: number): Promise<PersonSearchHit[]> {
    let rows: HitRow[];
    switch (input.kind) {
      case 'none':
        return [];
      case 'name': {
        const b = birth ?? input.birth;
        const visible = visibleFor('p', WORD_PARAM + input.words.length);
        await setSearchSettings(db);
        const params = [input.text, b?.date ?? null, b?.precision ?? null, limit, ...input.words, ...visible.params];
        rows = (await db.query(searchByNameSql(input.words, visible.sql), params)) as HitRow[];
        break;
      }
      case 'phone': {
        const visible = visibleFor('p', 6);
        const params = [input.digits, nextPrefix(input.digits), birth?.date ?? null, birth?.precision ?? null, limit, ...visible.params];
        rows = (await db.query(SEARCH_BY_PHONE(visible.sql), params)) as HitRow[];
        break;
      }
      case 'email': {
        const visible = visibleFor('p', 5);
        const value = input.complete ? input.email : input.email.replace(/[\\%_]/g, '\\$&');
        rows = (await db.query(SEARCH_BY_EMAIL(visible.sql, input.complete), [value, birth?.date ?? null, birth?.precision ?? null, limit, ...visible.params])) as HitRow[];
        break;
      }
    }
    return rows.map(toHit);
  }

  /** Possible duplicates (see DUPLICATES). Must run inside a transaction (SET LOCAL of the settings). */
  async findDuplicates(
    db: Db,
    visibleFor: VisibleSqlFor,
    person: { names: string; phone: string | null; email: string | null; birthYear: number | null },
  ): Promise<PersonSearchHit[]> {
    await setSearchSettings(db);
    const visible = visibleFor('p', 6);
    const rows = (await db.query(DUPLICATES(visible.sql), [
      person.names,
      person.phone,
      person.email,
      person.birthYear,
      DUPLICATE_CANDIDATES_MAX,
      ...visible.params,
    ])) as HitRow[];
    return rows.map(toHit);
  }

  /** One person file by id, with no access check: call PersonAccessService first. */
  async findById(id: string, db: Db = this.dataSource.manager): Promise<PersonRow | null> {
    const rows = (await db.query(`${PERSON_SELECT} WHERE p.id = $1`, [id])) as PersonRow[];
    return rows[0] ?? null;
  }

  /** Locks the rows of these persons until the end of the transaction (in id order: no deadlock). */
  async lock(db: Db, ids: string[]): Promise<void> {
    await db.query(`SELECT id FROM person WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  }

  /**
   * Re-attaches everything of `sourceId` to `targetId` and marks the source merged, inside the caller's
   * transaction. Every table that points at a person must be handled here (today: contact, request,
   * person_follow); the target's empty identity fields are filled from the source.
   */
  async merge(db: Db, sourceId: string, targetId: string): Promise<void> {
    await db.query(`UPDATE contact SET person_id = $2 WHERE person_id = $1`, [sourceId, targetId]);
    await db.query(`UPDATE request SET person_id = $2, updated_at = now() WHERE person_id = $1`, [sourceId, targetId]);
    await db.query(
      `INSERT INTO person_follow (tenant_id, person_id, structure_id, since, reason)
       SELECT tenant_id, $2, structure_id, since, 'merge' FROM person_follow WHERE person_id = $1
       ON CONFLICT (person_id, structure_id) DO NOTHING`,
      [sourceId, targetId],
    );
    // Residence is one fact (commune, or "sans domicile stable" with a domiciliation): taken whole
    // from the source when the target says nothing about it.
    await db.query(
      `UPDATE person t SET
         usage_last_name = coalesce(t.usage_last_name, s.usage_last_name),
         birth_last_name = coalesce(t.birth_last_name, s.birth_last_name),
         first_names = coalesce(t.first_names, s.first_names),
         birth_date = CASE WHEN t.birth_date IS NULL THEN s.birth_date ELSE t.birth_date END,
         birth_date_precision = CASE WHEN t.birth_date IS NULL THEN s.birth_date_precision ELSE t.birth_date_precision END,
         commune_insee = CASE WHEN t.commune_insee IS NULL AND NOT t.no_stable_home THEN s.commune_insee ELSE t.commune_insee END,
         no_stable_home = CASE WHEN t.commune_insee IS NULL AND NOT t.no_stable_home THEN s.no_stable_home ELSE t.no_stable_home END,
         domiciliation = CASE WHEN t.commune_insee IS NULL AND NOT t.no_stable_home THEN s.domiciliation
                              WHEN t.no_stable_home THEN coalesce(t.domiciliation, s.domiciliation)
                              ELSE t.domiciliation END,
         phone = coalesce(t.phone, s.phone),
         email = coalesce(t.email, s.email),
         languages = ARRAY(SELECT DISTINCT unnest(t.languages || s.languages) ORDER BY 1),
         needs_interpreter = t.needs_interpreter OR s.needs_interpreter,
         contact_preference = coalesce(t.contact_preference, s.contact_preference),
         household = coalesce(t.household, s.household),
         dependent_children = coalesce(t.dependent_children, s.dependent_children),
         nationality_group = coalesce(t.nationality_group, s.nationality_group),
         updated_at = now()
       FROM person s
       WHERE t.id = $2 AND s.id = $1`,
      [sourceId, targetId],
    );
    await db.query(`UPDATE person SET merged_into_id = $2, merged_at = now(), updated_at = now() WHERE id = $1`, [sourceId, targetId]);
  }
}

/**
 * The smallest string above every 10-digit number beginning with `digits`: "0612" → "0613",
 * "0619" → "062", "0699" → "07"; null when there is none ("99…").
 */
export function nextPrefix(digits: string): string | null {
  const trimmed = digits.replace(/9+$/, '');
  if (!trimmed) return null;
  return trimmed.slice(0, -1) + String(Number(trimmed.slice(-1)) + 1);
}

function toHit(r: HitRow): PersonSearchHit {
  return {
    id: r.id,
    usageLastName: r.usage_last_name,
    birthLastName: r.birth_last_name,
    firstNames: r.first_names,
    birthDate: r.birth_date,
    birthDatePrecision: r.birth_date_precision,
    communeName: r.commune_name,
    score: Number(r.score),
    lastContactAt: r.last_contact_at ? new Date(r.last_contact_at).toISOString() : null,
  };
}
