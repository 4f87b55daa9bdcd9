import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BirthDatePrecision, ContactPreference, HouseholdSituation, NationalityGroup, PersonSearchHit } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import type { BirthDate } from './birth-date';
import { MAX_WORDS, type PersonSearchInput } from './search-query';

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
  anonymized_at: Date | null;
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
         p.created_at, p.updated_at, p.anonymized_at
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
 * Name search in up to five steps, each step's scan running only when the steps before found fewer
 * persons than asked (a one-time filter: the frequent case — a name typed as it is on the file —
 * costs one short index scan). Steps 1–3 are one statement (searchByNameSql); steps 4–5, only when
 * those found nobody, a second one (searchByLikenessSql), so that the common case neither plans nor
 * runs them. All but step 1 and the fuzzy step 4 are exact conditions on the GIN index of word keys
 * (WORD_KEYS, migration PersonSearchWords): intersections of posting lists, no row rechecked.
 *
 * 1. prefix_match — the names begin with the query, as agents type them ("NOM Prénom", "dupo"): a
 *    range scan of the byte-ordered b-tree (tenant_id, search_text COLLATE "C") that returns rows in
 *    order and stops after the first page, however frequent the name. With a birth date, only files
 *    whose known birth date matches (the page is theirs; files without one come in the next steps).
 * 2. word_match — every typed word begins a word of the names, in any order ("zoe lef"; "ndia" for
 *    "N'Diaye"): `WORD_KEYS @> ARRAY[the typed words]`. At most SCANNED are read (a query that
 *    matches more — a lone first name — is too vague for the order among them to matter), and the
 *    PRE_RANKED best by a cheap pre-rank are kept.
 * 3. typo_match — one typed word (3+ letters) is one edit away from a word of the names (a letter
 *    replaced, missing, added, two swapped, the first one too: oneEditOf), the others found as typed
 *    (typedKey). It also fills the page when steps 1–2 found a few ("lefèvre zoé": Lefebvre Zoé).
 * 4. fuzzy_match — nobody yet. One word: close to a word of the names (`<%` on the GIN trigram index,
 *    word similarity ≥ FUZZY_ONE_WORD). Several: one of them (3+ letters) may be misspelt in any way
 *    but its first letter ("jeanpierre" for "jean pierre"): the others are found as typed and its first
 *    letter begins another word — and the whole query is close to the names (≥ FUZZY_WORDS).
 * 5. partial_match — 3+ words and still nobody: all the words but one begin a word of the names (a
 *    middle name not on the file, a garbled word); the likeness score sorts them out.
 *
 * Score 0–1 ("likeness"): 0.45 × word similarity of the query to the names, 0.15 × whole-string
 * similarity (prefers files without extra names), 0.3 for the words (all whole words of the names: 1;
 * all beginnings of one, as while typing: 0.5; found once spaces are ignored, "ndiaye" in "n diaye":
 * 0.4), 0.1 when the names begin with the query (0.05 with its first word: the surname typed first).
 * A compatible known birth date adds 0.1 to the rank, not to the score.
 * Parameters (both statements): $1 query text, $2 birth date, $3 its precision, $4 limit, $5… the
 * words, then visibility.
 */
export const SCANNED = 500;
export const PRE_RANKED = 50;
const WORD_PARAM = 5;

/**
 * The query and its words, normalised as the names are (search_normalize, in the settings' round trip:
 * see normalisedWithSettings), so that the planner does not evaluate the SQL function for each use.
 */
const QUERY = `$1::text`;
const QUERY_WORDS = `string_to_array(${QUERY}, ' ')`;
const STARTS_WITH_QUERY = `(p.search_text COLLATE "C") LIKE ${QUERY} || '%'`;
/** The names begin with the first typed word (the surname, as agents type it first). */
const FIRST_WORD_STARTS = `(p.search_text COLLATE "C") LIKE (${QUERY_WORDS})[1] || '%'`;
/** What each step hands on: enough to score, show and order a hit. */
const CANDIDATE = `p.id, p.tenant_id, p.search_text, p.usage_last_name, p.birth_last_name, p.first_names,
             p.birth_date, p.birth_date_precision, p.commune_insee`;

/**
 * The keys of the words of the names, as indexed (GIN) by migration PersonSearchWords: each word's
 * beginnings ("d", "du", … "dupont"), each whole word followed by a space ("dupont "), for a one-letter
 * word its glued beginnings with the next one ("n diaye" → "nd", … "ndiaye": elided particles are typed
 * glued), and for a word of 3+ letters itself and its one-letter deletions marked "~" (see oneEditOf).
 * `WORD_KEYS @> ARRAY[…]` and `WORD_KEYS && ARRAY[…]` are exact in the index: no row is rechecked, and
 * the function is never computed at search time (unless a bitmap outgrows work_mem).
 */
const WORD_KEYS = `search_word_keys(p.search_text)`;

/** One of a step's groups of conditions: its keys (index conditions) and maybe a filter of its own. */
interface Group {
  keys: string;
  filter?: string;
}

/** "The names hold all these keys" (see WORD_KEYS): one GIN index scan. */
const hasKeys = (keys: string[]) => `${WORD_KEYS} @> ARRAY[${keys.join(', ')}]`;

/** Typed word n (normalised). */
const word = (index: number) => `$${WORD_PARAM + index}::text`;

/**
 * The key of typed word n taken as typed, for steps 3–5: it begins a word of the names (as in step 2);
 * but a 3-letter one (often a beginning still being typed: "reyn mar") must be a whole word ("mar ")
 * so as not to match every Martin. (One or two letters are initials: they only narrow with the others.)
 */
const typedKey = (index: number, words: string[]) => (words[index].length === 3 ? `${word(index)} || ' '` : word(index));

/**
 * "Another word of the names begins with the first letter of typed word n": its key (with the other
 * words', it narrows the scan: the L-words among all the Fatous) — unless another typed word has the
 * same initial: then as many words in that letter are needed ("lopes louis": two in L, not just "louis"
 * itself), a filter on the rows the other keys found.
 */
function initialOfAWord(index: number, words: string[]): { key?: string; filter?: string } {
  const letter = `substr(${word(index)}, 1, 1)`;
  const sameInitial = words.filter((w) => w[0] === words[index][0]).length;
  if (sameInitial === 1) return { key: letter };
  return { filter: `(' ' || p.search_text) ~ (' ' || ${letter} || repeat('.* ' || ${letter}, ${sameInitial - 1}))` };
}

/** A typed word that narrows an index scan (shorter ones, typed as a beginning, match too many names). */
const selective = (word: string) => word.length >= 3;

/**
 * "A word of the names is typed word n with one typo" (a letter replaced, missing, added, or two swapped —
 * the first one too): the names' one-letter deletions ("dupuy" → "upuy~", "dpuy~", "duuy~", "dupy~",
 * "dupu~", and "dupuy~" itself, indexed for words of 3+ letters) meet the typed word's ("dpuuy" → "puuy~",
 * "duuy~", "dpuy~"…). An exact index condition, no similarity computed.
 */
const oneEditOf = (index: number) => `${WORD_KEYS} && search_word_deletes(${word(index)})`;

/**
 * Step 3's groups of conditions, one per word that may be misspelt (3+ letters): that word within one
 * edit of a word of the names (oneEditOf), the others found as typed (typedKey). Each group is one
 * index scan.
 */
function oneTypoGroups(words: string[]): Group[] {
  return words.flatMap((w, misspelt) => {
    if (!selective(w)) return [];
    const others = words.flatMap((_w, i) => (i === misspelt ? [] : [typedKey(i, words)]));
    return [{ keys: [...(others.length ? [hasKeys(others)] : []), oneEditOf(misspelt)].join(' AND ') }];
  });
}

/**
 * Step 4's groups of conditions. One word: close to a word of the names (`<%` on the GIN trigram index).
 * Several: one word (3+ letters) may be misspelt in any way but its first letter — the others are found
 * as typed (typedKey) and its first letter begins another word (initialOfAWord); at least one of the
 * others must narrow the scan.
 */
function fuzzyGroups(words: string[]): Group[] {
  if (words.length === 1) return selective(words[0]) ? [{ keys: `${word(0)} <% p.search_text` }] : [];
  return words.flatMap((w, misspelt) => {
    if (!selective(w) || !words.some((other, i) => i !== misspelt && selective(other))) return [];
    const initial = initialOfAWord(misspelt, words);
    const keys = words.flatMap((_w, i) => (i === misspelt ? (initial.key ? [initial.key] : []) : [typedKey(i, words)]));
    return [{ keys: hasKeys(keys), filter: initial.filter }];
  });
}

/** Step 5's groups: all the typed words but one, as long as those kept narrow the scan. */
function partialGroups(words: string[]): Group[] {
  return words.flatMap((_, left) => {
    const kept = words.flatMap((w, i) => (i === left ? [] : [{ w, i }]));
    return kept.some((k) => selective(k.w)) ? [{ keys: hasKeys(kept.map((k) => typedKey(k.i, words))) }] : [];
  });
}

/**
 * The rows of person `p` that one of `groups` finds, the caller may see, born as searched, at most
 * SCANNED. Groups of keys only are one scan (a BitmapOr, nothing rechecked); a group with a filter of
 * its own makes each group a scan of its own (UNION ALL; the steps' union dedupes), for in one OR
 * PostgreSQL would recheck the whole OR on every row found, computing the names' keys row by row.
 */
function scanOfGroups(groups: Group[], gate: string, where: (conditions: string[]) => string, extra: string[] = []): string {
  if (groups.length === 0) return `SELECT ${CANDIDATE} FROM person p WHERE false`;
  const scan = (condition: string) => `
          SELECT ${CANDIDATE}
            FROM person p
           WHERE ${gate}
             AND ${where([condition, ...extra])}`;
  if (groups.every((g) => !g.filter)) return `${scan(`((${groups.map((g) => g.keys).join(')\n                OR (')}))`)}\n           LIMIT ${SCANNED}`;
  return `SELECT * FROM (${groups.map((g) => scan([g.keys, ...(g.filter ? [g.filter] : [])].join(' AND '))).join('\n          UNION ALL')}
        ) p
        LIMIT ${SCANNED}`;
}

/** Scores the candidates (the union of `steps`, CTEs defined in `ctes`) and returns the page. */
function scoredPage(ctes: string, steps: string[]): string {
  return withLastContact(`
    WITH ${ctes}, candidate AS (
      ${steps.map((step) => `SELECT * FROM ${step}`).join(' UNION ')}
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

const whereFor = (visible: string) => (conditions: string[], knownBirth = false) =>
  [...conditions, visible, birthFilter('$2', '$3', knownBirth)].join('\n           AND ');

/** Steps 1–3 (see above): the names as typed, the words in any order, one typo. */
function searchByNameSql(words: string[], visible: string): string {
  const where = whereFor(visible);
  return scoredPage(
    `prefix_match AS MATERIALIZED (
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
           AND ${where([hasKeys(words.map((_, i) => word(i)))])}
         LIMIT ${SCANNED}
      ) p
      ORDER BY ${STARTS_WITH_QUERY} DESC, ${FIRST_WORD_STARTS} DESC, ${QUERY_WORDS} <@ string_to_array(p.search_text, ' ') DESC,
               length(p.search_text), p.search_text, p.id
      LIMIT ${PRE_RANKED}
    ), typo_match AS MATERIALIZED (
        ${scanOfGroups(oneTypoGroups(words), `(SELECT count(*) FROM (SELECT id FROM prefix_match UNION SELECT id FROM word_match) found) < $4`, where)}
    )`,
    ['prefix_match', 'word_match', 'typo_match'],
  );
}

/** Whether steps 4–5 have anything to look for (not with only short words: "an", "th h"). */
function likenessCanFind(words: string[]): boolean {
  return fuzzyGroups(words).length > 0 || (words.length >= 3 && partialGroups(words).length > 0);
}

/**
 * Steps 4–5 (see above), when steps 1–3 found nobody: a word misspelt in any way, a word too many.
 * The typed words are all declared (typed_words, never read) as some of them may appear in no group.
 */
function searchByLikenessSql(words: string[], visible: string): string {
  const where = whereFor(visible);
  const partial = words.length >= 3;
  return scoredPage(
    `typed_words AS (
      SELECT ARRAY[${words.map((_, i) => `$${WORD_PARAM + i}`).join(', ')}]::text[] AS words
    ), fuzzy_match AS MATERIALIZED (
        ${scanOfGroups(fuzzyGroups(words), 'true', where, words.length > 1 ? [`word_similarity(${QUERY}, p.search_text) >= ${FUZZY_WORDS}`] : [])}
    )${
      partial
        ? `, partial_match AS MATERIALIZED (
        ${scanOfGroups(partialGroups(words), 'NOT EXISTS (SELECT FROM fuzzy_match)', where)}
    )`
        : ''
    }`,
    partial ? ['fuzzy_match', 'partial_match'] : ['fuzzy_match'],
  );
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
 * parallel workers, each costing more than the whole search. Nor is a sequential scan ever right
 * here (with LIMIT, it may look cheap for a frequent name, then run a regular expression on 45,000 rows).
 * Nor JIT compilation: the steps that do not run (one-time filters) still count in the plan's cost,
 * which then passes jit_above_cost, and compiling the statement takes ~100 ms where JIT is available
 * (Debian's and most packaged servers; not the embedded one of the tests and benchmark).
 */
const SETTINGS = `set_config('pg_trgm.word_similarity_threshold', $1, true),
            set_config('pg_trgm.similarity_threshold', $2, true),
            set_config('max_parallel_workers_per_gather', '0', true),
            set_config('enable_hashjoin', 'off', true),
            set_config('enable_mergejoin', 'off', true),
            set_config('enable_seqscan', 'off', true),
            set_config('jit', 'off', true)`;
const SETTINGS_PARAMS = [String(FUZZY_ONE_WORD), String(DUPLICATE_SIMILARITY)];

async function setSearchSettings(db: Db): Promise<void> {
  await db.query(`SELECT ${SETTINGS}`, SETTINGS_PARAMS);
}

/**
 * The settings (setSearchSettings) and, in the same round trip, the query text and words normalised as
 * the names are (lower case, no accents, ligatures spelt out, "-" and "'" as spaces: a word may split).
 */
async function normalisedWithSettings(db: Db, text: string, words: string[]): Promise<{ text: string; words: string[] }> {
  const [row] = (await db.query(`SELECT ${SETTINGS}, search_normalize($3) AS text, string_to_array(search_normalize($4), ' ') AS words`, [
    ...SETTINGS_PARAMS,
    text,
    words.join(' '),
  ])) as { text: string; words: string[] | null }[];
  return { text: row.text, words: (row.words ?? []).slice(0, MAX_WORDS) };
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
        const { text, words } = await normalisedWithSettings(db, input.text, input.words);
        if (words.length === 0) return [];
        const visible = visibleFor('p', WORD_PARAM + words.length);
        const params = [text, b?.date ?? null, b?.precision ?? null, limit, ...words, ...visible.params];
        rows = (await db.query(searchByNameSql(words, visible.sql), params)) as HitRow[];
        if (rows.length === 0 && likenessCanFind(words)) rows = (await db.query(searchByLikenessSql(words, visible.sql), params)) as HitRow[];
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

  /** Whether one of these files is anonymised (retention or erasure on request). */
  async anyAnonymized(db: Db, ids: string[]): Promise<boolean> {
    const rows = (await db.query(`SELECT 1 FROM person WHERE id = ANY($1::uuid[]) AND anonymized_at IS NOT NULL LIMIT 1`, [ids])) as unknown[];
    return rows.length > 0;
  }

  /** Locks the rows of these persons until the end of the transaction (in id order: no deadlock). */
  async lock(db: Db, ids: string[]): Promise<void> {
    await db.query(`SELECT id FROM person WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  }

  /**
   * Re-attaches everything of `sourceId` to `targetId` and marks the source merged, inside the caller's
   * transaction. Every table that points at a person must be handled here (today: contact, request,
   * referral, document, referent, handoff, person_follow); the target's empty identity fields are filled from the source.
   */
  async merge(db: Db, sourceId: string, targetId: string): Promise<void> {
    await db.query(`UPDATE contact SET person_id = $2 WHERE person_id = $1`, [sourceId, targetId]);
    await db.query(`UPDATE request SET person_id = $2, updated_at = now() WHERE person_id = $1`, [sourceId, targetId]);
    await db.query(`UPDATE referral SET person_id = $2, updated_at = now() WHERE person_id = $1`, [sourceId, targetId]);
    await db.query(`UPDATE document SET person_id = $2 WHERE person_id = $1`, [sourceId, targetId]);
    // One active référent and one waiting handoff per person: the target's win, the source's end.
    await db.query(
      `UPDATE referent SET ended_at = now(), ended_reason = 'replaced'
        WHERE person_id = $1 AND ended_at IS NULL AND EXISTS (SELECT 1 FROM referent WHERE person_id = $2 AND ended_at IS NULL)`,
      [sourceId, targetId],
    );
    await db.query(`UPDATE referent SET person_id = $2 WHERE person_id = $1`, [sourceId, targetId]);
    await db.query(
      `UPDATE handoff SET status = 'cancelled', answered_at = now()
        WHERE person_id = $1 AND status = 'proposed' AND EXISTS (SELECT 1 FROM handoff WHERE person_id = $2 AND status = 'proposed')`,
      [sourceId, targetId],
    );
    await db.query(`UPDATE handoff SET person_id = $2 WHERE person_id = $1`, [sourceId, targetId]);
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
