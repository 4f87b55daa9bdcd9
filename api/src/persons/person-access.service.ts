import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DATA_CATEGORIES, type DataCategory, type PersonAccessReason, type Role } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error';
import { PersonFollowEntity, type FollowReason } from './person-follow.entity';

export const MERGED_MESSAGE = 'Ce dossier a été fusionné avec un autre dossier, qui le remplace : recherchez de nouveau la personne.';
export const NOT_FOLLOWED_MESSAGE =
  'Ce dossier vous est partagé avec le consentement de la personne : seules les structures qui la suivent peuvent le modifier.';

/** Roles that work with person files. Coordinators see aggregates only; platform admins no files. */
export const PERSON_ROLES: Role[] = ['reception_agent', 'social_worker', 'structure_admin'];

/** What the caller may see of one person: why, and which data categories. */
export interface PersonAccess {
  reason: PersonAccessReason;
  categories: DataCategory[];
}

/** An SQL condition with its parameters, numbered from the `firstParam` it was built for. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * "The caller may see this record of the person" for a repository: `person` and `owner` are the record's
 * person_id and structure_id expressions; built by PersonAccessService.recordVisibleSql.
 */
export type RecordVisibility = (person: string, owner: string, category: RecordCategory, firstParam: number) => SqlCondition;

/** A record's category: fixed for a kind of record (contacts: needs), or a column of the record (documents). */
export type RecordCategory = DataCategory | { column: string };

/**
 * "Consent `acl_c` is in force now": not withdrawn, not lapsed. Withdrawal takes effect on the next request.
 * (The policy's SQL uses acl_* aliases so that it never shadows an alias of the query it is spliced into.)
 */
const CONSENT_ACTIVE = `acl_c.withdrawn_at IS NULL AND (acl_c.valid_until IS NULL OR acl_c.valid_until > now())`;

/**
 * The one place that decides what a caller may see of a person (controllers and repositories never
 * decide it themselves):
 *
 * - a structure that **follows** the person (created the file, received them, took them on) sees the
 *   whole file — and its own records (contacts, requests) always;
 * - another structure sees the file only if an **active consent** names it, and then only the fields of
 *   the consented categories (`categories`; the others are absent from the JSON);
 * - the **records written by another structure** (its contacts and requests: "besoins et demandes"; the
 *   summaries of its contacts: "synthèses d'entretien") are seen by a following structure too only
 *   under a consent naming it, or naming "the structures of my parcours" — following the person does
 *   not open what others wrote;
 * - an agent with the dedicated permission may **override** for a legal reason: everything, for a few
 *   hours, flagged for the admin's review;
 * - "visibilité dans le réseau" lets the territory's structures learn that the person is known, and by
 *   whom (network search), nothing else.
 *
 * A person the caller may not see is answered 404, exactly like one that does not exist.
 */
@Injectable()
export class PersonAccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * SQL condition "the caller may find person `alias` by name" (followed, identity shared by consent, or
   * overridden; not anonymised by the retention job), for search and lists, which show names. `$<n>` placeholders start at `firstParam`; append the returned params.
   *
   * `perRow`: for a scan that stops after a page (the search box), each row is checked by index probes.
   * Otherwise PostgreSQL may instead read every person the structure follows and every consent naming
   * it into hash tables before the first row (it costs the check for all the rows the scan could
   * return, not the few a LIMIT lets through): ~50 ms for a structure following 49,000 persons, for a
   * page of 8. (`OFFSET 0` keeps each EXISTS a plain subquery; the rows found are the same.) And "not
   * merged, not anonymised" is written num_nulls(…) = 2, the same test, which the planner does not match
   * to the partial person_retention_idx: otherwise it ANDs a bitmap of all the tenant's current files
   * (190,000 at département scale, ~10 ms) into the search's word-key index scans.
   */
  visibleSql(auth: AuthContext, alias: string, firstParam: number, options: { perRow?: boolean } = {}): SqlCondition {
    const [tenant, structure, user] = [`$${firstParam}`, `$${firstParam + 1}`, `$${firstParam + 2}`];
    const probe = options.perRow ? ' OFFSET 0' : '';
    const current = options.perRow ? `num_nulls(${alias}.merged_into_id, ${alias}.anonymized_at) = 2` : `${alias}.merged_into_id IS NULL AND ${alias}.anonymized_at IS NULL`;
    return {
      sql: `(${alias}.tenant_id = ${tenant} AND ${current} AND (
              EXISTS (SELECT 1 FROM person_follow acl_f WHERE acl_f.person_id = ${alias}.id AND acl_f.structure_id = ${structure}${probe})
              OR EXISTS (SELECT 1 FROM consent acl_c WHERE acl_c.person_id = ${alias}.id AND acl_c.recipient_structure_id = ${structure}
                           AND 'identity_contact' = ANY (acl_c.categories) AND ${CONSENT_ACTIVE}${probe})
              OR EXISTS (SELECT 1 FROM access_override acl_o WHERE acl_o.person_id = ${alias}.id AND acl_o.user_id = ${user} AND acl_o.expires_at > now()${probe})))`,
      params: [auth.tenantId, auth.structureId, auth.userId],
    };
  }

  /**
   * SQL condition "the caller may see this record of the person": one written by their own structure, or
   * one of `category` (or of the category in the record's column) shared with them by an active consent (named, or "my parcours" when their structure
   * follows the person), or under an override. `person` and `owner` are SQL expressions (the record's
   * person_id and structure_id).
   */
  recordVisibleSql(auth: AuthContext, person: string, owner: string, category: RecordCategory, firstParam: number): SqlCondition {
    const [structure, user] = [`$${firstParam}`, `$${firstParam + 1}`];
    const cat = typeof category === 'string' ? `$${firstParam + 2}::text` : category.column;
    return {
      sql: `(${owner} = ${structure}
             OR EXISTS (SELECT 1 FROM consent acl_c WHERE acl_c.person_id = ${person} AND ${CONSENT_ACTIVE} AND ${cat} = ANY (acl_c.categories)
                          AND (acl_c.recipient_structure_id = ${structure}
                               OR (acl_c.recipient_kind = 'parcours'
                                   AND EXISTS (SELECT 1 FROM person_follow acl_f WHERE acl_f.person_id = ${person} AND acl_f.structure_id = ${structure}))))
             OR EXISTS (SELECT 1 FROM access_override acl_o WHERE acl_o.person_id = ${person} AND acl_o.user_id = ${user} AND acl_o.expires_at > now()))`,
      params: typeof category === 'string' ? [auth.structureId, auth.userId, category] : [auth.structureId, auth.userId],
    };
  }

  /**
   * SQL condition "the caller may see something of person `alias`": the SQL form of `accessFor() !== null`
   * (followed, any category shared by an active consent naming the caller's structure, or overridden; not
   * merged), for lists of records that carry information about the person (e.g. a handoff's note).
   */
  accessibleSql(auth: AuthContext, alias: string, firstParam: number): SqlCondition {
    const [tenant, structure, user] = [`$${firstParam}`, `$${firstParam + 1}`, `$${firstParam + 2}`];
    return {
      sql: `(${alias}.tenant_id = ${tenant} AND ${alias}.merged_into_id IS NULL AND (
              EXISTS (SELECT 1 FROM person_follow acl_f WHERE acl_f.person_id = ${alias}.id AND acl_f.structure_id = ${structure})
              OR EXISTS (SELECT 1 FROM consent acl_c WHERE acl_c.person_id = ${alias}.id AND acl_c.recipient_structure_id = ${structure}
                           AND cardinality(acl_c.categories) > 0 AND ${CONSENT_ACTIVE})
              OR EXISTS (SELECT 1 FROM access_override acl_o WHERE acl_o.person_id = ${alias}.id AND acl_o.user_id = ${user} AND acl_o.expires_at > now())))`,
      params: [auth.tenantId, auth.structureId, auth.userId],
    };
  }

  /** recordVisibleSql bound to the caller, for repositories. */
  recordVisibilityFor(auth: AuthContext): RecordVisibility {
    return (person, owner, category, firstParam) => this.recordVisibleSql(auth, person, owner, category, firstParam);
  }

  /** SQL condition "person `alias` has an active network-visibility consent" ($firstParam: tenant). */
  networkVisibleSql(auth: AuthContext, alias: string, firstParam: number): SqlCondition {
    return {
      sql: `(${alias}.tenant_id = $${firstParam} AND ${alias}.merged_into_id IS NULL AND ${alias}.anonymized_at IS NULL
             AND EXISTS (SELECT 1 FROM consent acl_c WHERE acl_c.person_id = ${alias}.id AND acl_c.recipient_kind = 'network' AND ${CONSENT_ACTIVE}))`,
      params: [auth.tenantId],
    };
  }

  /** What the caller may see of this person, or null when nothing. */
  async accessFor(auth: AuthContext, personId: string, manager: EntityManager = this.dataSource.manager): Promise<PersonAccess | null> {
    if (!auth.structureId || !PERSON_ROLES.includes(auth.role)) return null;
    const rows: { followed: boolean; overridden: boolean; consented: DataCategory[] | null }[] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM person_follow acl_f WHERE acl_f.person_id = p.id AND acl_f.structure_id = $3) AS followed,
              EXISTS (SELECT 1 FROM access_override acl_o WHERE acl_o.person_id = p.id AND acl_o.user_id = $4 AND acl_o.expires_at > now()) AS overridden,
              (SELECT array_agg(DISTINCT category) FROM consent acl_c, unnest(acl_c.categories) AS category
                WHERE acl_c.person_id = p.id AND acl_c.recipient_structure_id = $3 AND ${CONSENT_ACTIVE}) AS consented
         FROM person p
        WHERE p.id = $1 AND p.tenant_id = $2 AND p.merged_into_id IS NULL`,
      [personId, auth.tenantId, auth.structureId, auth.userId],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.followed) return { reason: 'followed_by_my_structure', categories: [...DATA_CATEGORIES] };
    if (row.overridden) return { reason: 'override', categories: [...DATA_CATEGORIES] };
    if (row.consented?.length) return { reason: 'consent', categories: DATA_CATEGORIES.filter((c) => row.consented?.includes(c)) };
    return null;
  }

  /**
   * The data categories the person's active consents **naming this structure** cover (recipient kind
   * 'structure'; not withdrawn, not lapsed — the same notion of "active" as every read): what may be sent
   * to it, e.g. with an orientation. "My parcours" consents do not count: the structure does not follow
   * the person yet. Read in the caller's transaction, so a withdrawal counts at once.
   */
  async consentedCategories(tenantId: string, personId: string, structureId: string, manager: EntityManager = this.dataSource.manager): Promise<DataCategory[]> {
    const rows: { categories: DataCategory[] | null }[] = await manager.query(
      `SELECT array_agg(DISTINCT category) AS categories FROM consent acl_c, unnest(acl_c.categories) AS category
        WHERE acl_c.person_id = $1 AND acl_c.tenant_id = $2 AND acl_c.recipient_kind = 'structure' AND acl_c.recipient_structure_id = $3
          AND ${CONSENT_ACTIVE}`,
      [personId, tenantId, structureId],
    );
    const consented = rows[0]?.categories ?? [];
    return DATA_CATEGORIES.filter((c) => consented.includes(c));
  }

  /**
   * Throws 404 NOT_FOUND unless the caller may see the person; returns what they may see otherwise. A
   * file merged into another one is 404 too; a caller who could see it before the merge is told so (the
   * message names nothing personal), so they search for the person again.
   */
  async assertCanSee(auth: AuthContext, personId: string, manager: EntityManager = this.dataSource.manager): Promise<PersonAccess> {
    const access = await this.accessFor(auth, personId, manager);
    if (access) return access;
    if (await this.sawBeforeMerge(auth, personId, manager)) throw new DomainError('NOT_FOUND', MERGED_MESSAGE);
    throw notFound('Personne');
  }

  /** Like assertCanSee, for changing the file: only a structure that follows the person may (403 otherwise). */
  async assertFollows(auth: AuthContext, personId: string, manager: EntityManager = this.dataSource.manager): Promise<PersonAccess> {
    const access = await this.assertCanSee(auth, personId, manager);
    if (access.reason !== 'followed_by_my_structure') throw forbidden(NOT_FOLLOWED_MESSAGE);
    return access;
  }

  /**
   * Refuses a write to an anonymised file (409 PERSON_ANONYMIZED): nothing may be added to it — if the
   * person comes back, a new file is created. Share-locks the person row, so an anonymisation under way
   * (retention, erasure: they lock it for update) finishes first and is then seen.
   */
  async assertNotAnonymized(personId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const rows: { anonymized_at: Date | null }[] = await manager.query(`SELECT anonymized_at FROM person WHERE id = $1 FOR SHARE`, [personId]);
    if (rows[0]?.anonymized_at) throw new DomainError('PERSON_ANONYMIZED');
  }

  /** The person's file was merged into another, and the caller's structure followed it. */
  private async sawBeforeMerge(auth: AuthContext, personId: string, manager: EntityManager): Promise<boolean> {
    if (!auth.structureId || !PERSON_ROLES.includes(auth.role)) return false;
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM person p JOIN person_follow pf ON pf.person_id = p.id AND pf.structure_id = $3
        WHERE p.id = $1 AND p.tenant_id = $2 AND p.merged_into_id IS NOT NULL`,
      [personId, auth.tenantId, auth.structureId],
    );
    return rows.length > 0;
  }

  /** Records that a structure follows the person (idempotent). */
  async follow(tenantId: string, personId: string, structureId: string, reason: FollowReason, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(PersonFollowEntity)
      .values({ tenantId, personId, structureId, reason })
      .orIgnore()
      .execute();
  }
}
