import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { passwordProblems, type CurrentUser, type MembershipSummary } from '@passerelle/contracts';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { AuditService, type AuditActor } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { TenantEntity } from '../territory/tenant.entity';
import { MembershipEntity } from '../users/membership.entity';
import { UserEntity } from '../users/user.entity';
import { PasswordService } from './password.service';
import { SessionsService } from './sessions.service';
import { hashToken } from './tokens';

/** A user who proved their identity, and the membership the new session will act with. */
export interface AuthenticatedUser {
  user: UserEntity;
  membership: MembershipEntity;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks e-mail + password, with temporary lockout after LOGIN_MAX_ATTEMPTS consecutive failures.
   * Every outcome is audited (without the e-mail typed).
   */
  async verifyPassword(email: string, password: string, actor: AuditActor): Promise<AuthenticatedUser> {
    const users = this.dataSource.getRepository(UserEntity);
    const user = await users.findOneBy({ email: email.trim() });
    if (!user) {
      await this.passwords.verify(null, password); // same cost as a real check
      await this.audit.record(actor, { action: 'auth.login', outcome: 'failure', reason: 'unknown_account' });
      throw new DomainError('INVALID_CREDENTIALS');
    }
    const who = { ...actor, tenantId: user.tenantId, userId: user.id };
    const now = new Date();
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.audit.record(who, { action: 'auth.login', outcome: 'denied', reason: 'locked' });
      throw new DomainError('ACCOUNT_LOCKED');
    }
    const ok = user.passwordHash !== null && (await this.passwords.verify(user.passwordHash, password));
    if (!ok) {
      const lockExpired = user.lockedUntil !== null && user.lockedUntil <= now;
      const [row] = (await this.dataSource.query(
        `UPDATE app_user
            SET failed_login_count = CASE WHEN $2 THEN 1 ELSE failed_login_count + 1 END,
                locked_until = CASE WHEN (CASE WHEN $2 THEN 1 ELSE failed_login_count + 1 END) >= $3
                                    THEN now() + make_interval(mins => $4) ELSE NULL END
          WHERE id = $1
      RETURNING locked_until`,
        [user.id, lockExpired, this.config.LOGIN_MAX_ATTEMPTS, this.config.LOGIN_LOCK_MINUTES],
      )) as [{ locked_until: Date | null }[], number];
      const locked = row[0]?.locked_until != null;
      await this.audit.record(who, { action: 'auth.login', outcome: 'failure', reason: locked ? 'bad_password_locked' : 'bad_password' });
      throw new DomainError(locked ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS');
    }
    const membership = await this.dataSource.getRepository(MembershipEntity).findOne({
      where: { userId: user.id, deactivatedAt: IsNull() },
      order: { createdAt: 'ASC' },
    });
    if (!membership) {
      await this.audit.record(who, { action: 'auth.login', outcome: 'denied', reason: 'inactive' });
      throw new DomainError('ACCOUNT_INACTIVE');
    }
    if (user.failedLoginCount > 0 || user.lockedUntil) {
      await users.update({ id: user.id }, { failedLoginCount: 0, lockedUntil: null });
    }
    return { user, membership };
  }

  /** Opens a session for an authenticated user (any Passport strategy ends here). */
  async openSession(authenticated: AuthenticatedUser, method: string, actor: AuditActor) {
    const { user, membership } = authenticated;
    const created = await this.sessions.create(user, membership.id, method);
    await this.audit.record(
      { ...actor, tenantId: user.tenantId, userId: user.id, structureId: membership.structureId, role: membership.role },
      { action: 'auth.login', entityType: 'session', entityId: created.session.id, reason: method },
    );
    return created;
  }

  async logout(auth: AuthContext): Promise<void> {
    await this.sessions.revoke(auth.sessionId, 'logout');
    await this.audit.record(auth, { action: 'auth.logout', entityType: 'session', entityId: auth.sessionId });
  }

  async currentUser(auth: AuthContext): Promise<CurrentUser> {
    const user = await this.dataSource.getRepository(UserEntity).findOneByOrFail({ id: auth.userId });
    const tenant = await this.dataSource.getRepository(TenantEntity).findOneByOrFail({ id: user.tenantId });
    const memberships = await this.membershipsOf(user.id);
    const active = memberships.find((m) => m.id === auth.membershipId);
    if (!active) throw new DomainError('ACCOUNT_INACTIVE');
    return {
      id: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      tenant: { id: tenant.id, code: tenant.code, name: tenant.name },
      activeMembership: active,
      memberships,
      sessionExpiresAt: auth.expiresAt.toISOString(),
      idleTimeoutMinutes: this.config.SESSION_IDLE_MINUTES,
    };
  }

  async switchMembership(auth: AuthContext, membershipId: string): Promise<CurrentUser> {
    const memberships = await this.membershipsOf(auth.userId);
    if (!memberships.some((m) => m.id === membershipId)) {
      throw new DomainError('NOT_FOUND', 'Cette affectation n’existe pas ou n’est plus active.');
    }
    await this.sessions.switchMembership(auth.sessionId, membershipId);
    const switched = await this.sessions.resolveById(auth.sessionId, auth);
    await this.audit.record(switched, { action: 'auth.switch_membership', entityType: 'membership', entityId: membershipId });
    return this.currentUser(switched);
  }

  /** Sets the password of an invited agent from their single-use activation link. */
  async activate(token: string, password: string, actor: AuditActor): Promise<void> {
    const problems = passwordProblems(password);
    if (problems.length > 0) throw new DomainError('WEAK_PASSWORD', problems.join(' '), [{ field: 'password', messages: problems }]);
    const passwordHash = await this.passwords.hash(password);
    await this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(UserEntity).findOne({
        where: { activationTokenHash: hashToken(this.config.SESSION_SECRET, token), activationExpiresAt: MoreThan(new Date()) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw new DomainError('ACTIVATION_INVALID');
      await manager.update(UserEntity, { id: user.id }, {
        passwordHash,
        activationTokenHash: null,
        activationExpiresAt: null,
        failedLoginCount: 0,
        lockedUntil: null,
      });
      await this.audit.record({ ...actor, tenantId: user.tenantId, userId: user.id }, { action: 'auth.activate', entityType: 'user', entityId: user.id }, manager);
    });
  }

  private async membershipsOf(userId: string): Promise<MembershipSummary[]> {
    const rows: {
      id: string;
      role: MembershipSummary['role'];
      structure_id: string | null;
      name: string | null;
      type: string | null;
      may_override_consent: boolean;
    }[] = await this.dataSource.query(
        `SELECT m.id, m.role, m.structure_id, s.name, s.type, m.may_override_consent
           FROM membership m LEFT JOIN structure s ON s.id = m.structure_id
          WHERE m.user_id = $1 AND m.deactivated_at IS NULL
          ORDER BY m.created_at`,
        [userId],
      );
    return rows.map((r) => ({
      id: r.id,
      role: r.role,
      structure: r.structure_id ? { id: r.structure_id, name: r.name ?? '', type: r.type as NonNullable<MembershipSummary['structure']>['type'] } : null,
      mayOverrideConsent: r.may_override_consent,
    }));
  }
}
