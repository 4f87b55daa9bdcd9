import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PersonAccessReason, Role } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import { notFound } from '../common/errors/domain-error';
import { PersonFollowEntity, type FollowReason } from './person-follow.entity';

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

  /** Throws 404 NOT_FOUND unless the caller may see the person; returns the reason otherwise. */
  async assertCanSee(auth: AuthContext, personId: string, manager?: EntityManager): Promise<PersonAccessReason> {
    const reason = await this.reasonFor(auth, personId, manager);
    if (!reason) throw notFound('Personne');
    return reason;
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
