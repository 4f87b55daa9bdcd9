import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PersonAccessReason, Role } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, notFound } from '../common/errors/domain-error';
import { PersonFollowEntity, type FollowReason } from './person-follow.entity';

export const MERGED_MESSAGE = 'Ce dossier a été fusionné avec un autre dossier, qui le remplace : recherchez de nouveau la personne.';

/** Roles that work with person files. Coordinators see aggregates only; platform admins no files. */
export const PERSON_ROLES: Role[] = ['reception_agent', 'social_worker', 'structure_admin'];

/**
 * The one place that decides whether a caller may see a person's file. Today: the person is followed
 * by the caller's structure (it created the file, or took the person on). The consent rules (network
 * visibility, sharing with named partners) will extend `visibleSql` and `reasonFor` here, and nowhere
 * else. A person the caller may not see is answered 404, exactly like one that does not exist.
 */
@Injectable()
export class PersonAccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * SQL condition "the caller may see person `alias`", for search and lists. Uses `$<n>` placeholders
   * starting at `firstParam`; append the returned params to the query's parameters.
   */
  visibleSql(auth: AuthContext, alias: string, firstParam: number): { sql: string; params: unknown[] } {
    return {
      sql: `(${alias}.tenant_id = $${firstParam} AND ${alias}.merged_into_id IS NULL AND EXISTS (
              SELECT 1 FROM person_follow pf WHERE pf.person_id = ${alias}.id AND pf.structure_id = $${firstParam + 1}))`,
      params: [auth.tenantId, auth.structureId],
    };
  }

  /** Why the caller may see this person, or null when they may not. */
  async reasonFor(auth: AuthContext, personId: string, manager: EntityManager = this.dataSource.manager): Promise<PersonAccessReason | null> {
    if (!auth.structureId || !PERSON_ROLES.includes(auth.role)) return null;
    const visible = this.visibleSql(auth, 'p', 2);
    const rows: unknown[] = await manager.query(`SELECT 1 FROM person p WHERE p.id = $1 AND ${visible.sql}`, [personId, ...visible.params]);
    return rows.length > 0 ? 'followed_by_my_structure' : null;
  }

  /**
   * Throws 404 NOT_FOUND unless the caller may see the person; returns the reason otherwise. A file
   * merged into another one is 404 too; a caller who could see it before the merge is told so (the
   * message names nothing personal), so they search for the person again.
   */
  async assertCanSee(auth: AuthContext, personId: string, manager: EntityManager = this.dataSource.manager): Promise<PersonAccessReason> {
    const reason = await this.reasonFor(auth, personId, manager);
    if (reason) return reason;
    if (await this.sawBeforeMerge(auth, personId, manager)) throw new DomainError('NOT_FOUND', MERGED_MESSAGE);
    throw notFound('Personne');
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
