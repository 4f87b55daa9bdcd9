import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Role } from '@passerelle/contracts';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import type { AuthContext } from '../common/auth/auth-context';
import { UserSessionEntity } from './user-session.entity';
import { hashToken, randomToken } from './tokens';

type RequestInfo = { ip: string | null; requestId: string | null };

/** Don't write last_seen_at more than once a minute per session. */
const TOUCH_INTERVAL_MS = 60_000;

interface SessionRow {
  id: string;
  tenant_id: string;
  user_id: string;
  membership_id: string;
  csrf_token: string;
  expires_at: Date;
  last_seen_at: Date;
  role: Role;
  structure_id: string | null;
  membership_deactivated_at: Date | null;
}

/**
 * Server-side sessions in PostgreSQL. The cookie holds a random token; the table holds its HMAC.
 * A session ends on logout, after the inactivity timeout, at its absolute lifetime, or at once when
 * the agent's membership is deactivated.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  get idleMs(): number {
    return this.config.SESSION_IDLE_MINUTES * 60_000;
  }

  async create(
    user: { id: string; tenantId: string },
    membershipId: string,
    authMethod: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ token: string; session: UserSessionEntity }> {
    const token = randomToken();
    const now = new Date();
    const session = await manager.save(
      manager.create(UserSessionEntity, {
        tenantId: user.tenantId,
        userId: user.id,
        membershipId,
        tokenHash: hashToken(this.config.SESSION_SECRET, token),
        csrfToken: randomToken(),
        authMethod,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.config.SESSION_MAX_HOURS * 3_600_000),
      }),
    );
    return { token, session };
  }

  /**
   * Resolves a session token into the caller's context, or throws SESSION_EXPIRED / AUTH_REQUIRED.
   */
  resolve(token: string, request: RequestInfo): Promise<AuthContext> {
    return this.load('s.token_hash = $1', hashToken(this.config.SESSION_SECRET, token), request);
  }

  /** Same checks as resolve(), by session id (after the session changed, e.g. membership switch). */
  resolveById(sessionId: string, request: RequestInfo): Promise<AuthContext> {
    return this.load('s.id = $1', sessionId, request);
  }

  private async load(where: string, param: string, request: RequestInfo): Promise<AuthContext> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT s.id, s.tenant_id, s.user_id, s.membership_id, s.csrf_token, s.expires_at, s.last_seen_at,
              m.role, m.structure_id, m.deactivated_at AS membership_deactivated_at
         FROM user_session s JOIN membership m ON m.id = s.membership_id
        WHERE ${where} AND s.revoked_at IS NULL`,
      [param],
    );
    const row = rows[0];
    if (!row) throw new DomainError('AUTH_REQUIRED');
    const now = Date.now();
    if (row.membership_deactivated_at) {
      await this.revoke(row.id, 'deactivated');
      throw new DomainError('ACCOUNT_INACTIVE');
    }
    if (row.expires_at.getTime() <= now) {
      await this.revoke(row.id, 'expired');
      throw new DomainError('SESSION_EXPIRED');
    }
    if (row.last_seen_at.getTime() + this.idleMs <= now) {
      await this.revoke(row.id, 'idle');
      throw new DomainError('SESSION_EXPIRED');
    }
    if (now - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
      await this.dataSource.query(`UPDATE user_session SET last_seen_at = now() WHERE id = $1`, [row.id]);
    }
    return {
      sessionId: row.id,
      userId: row.user_id,
      tenantId: row.tenant_id,
      membershipId: row.membership_id,
      role: row.role,
      structureId: row.structure_id,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
      ip: request.ip,
      requestId: request.requestId,
    };
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.dataSource.manager.update(
      UserSessionEntity,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  /** Ends, at once, every session acting through this membership. */
  async revokeForMembership(membershipId: string, reason: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const result = await manager.update(
      UserSessionEntity,
      { membershipId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    return result.affected ?? 0;
  }

  async switchMembership(sessionId: string, membershipId: string): Promise<void> {
    await this.dataSource.manager.update(UserSessionEntity, { id: sessionId }, { membershipId });
  }
}
