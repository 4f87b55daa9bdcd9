import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ROLES_GRANTABLE_BY_STRUCTURE_ADMIN, type Agent, type InviteAgentResponse, type Role } from '@passerelle/contracts';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions.service';
import { hashToken, randomToken } from '../auth/tokens';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { MailService } from '../mail/mail.service';
import { StructureEntity } from '../structures/structure.entity';
import { MembershipEntity } from '../users/membership.entity';
import { PERSON_ROLES } from '../persons/person-access.service';
import { UserEntity } from '../users/user.entity';
import { activationMail } from './activation-mail';
import type { InviteAgentDto } from './dto/agent.dto';

interface AgentRow {
  id: string;
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: Role;
  structure_id: string | null;
  structure_name: string | null;
  deactivated_at: Date | null;
  activated: boolean;
  may_override_consent: boolean;
  created_at: Date;
}

/** One membership with its user; never the password or token hashes. */
const AGENT_SELECT = `
  SELECT m.id, m.user_id, u.email, u.first_name, u.last_name, m.role, m.structure_id, s.name AS structure_name, m.may_override_consent,
         m.deactivated_at, (u.password_hash IS NOT NULL) AS activated, m.created_at
    FROM membership m
    JOIN app_user u ON u.id = m.user_id
    LEFT JOIN structure s ON s.id = m.structure_id`;

interface Activation {
  url: string;
  expiresAt: Date;
}

/**
 * Agent administration. A structure admin manages the memberships of their own structure (and may
 * not grant platform_admin); the platform admin manages every structure of the tenant. A membership
 * out of the caller's reach answers 404, like one that does not exist.
 */
@Injectable()
export class AgentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async list(auth: AuthContext, structureId: string | undefined): Promise<Agent[]> {
    let scope: string | null;
    if (auth.role === 'platform_admin') {
      if (structureId) await this.requireStructure(auth, structureId);
      scope = structureId ?? null;
    } else {
      if (structureId && structureId !== auth.structureId) throw forbidden('Vous ne pouvez administrer que les agents de votre structure.');
      scope = auth.structureId;
    }
    const rows: AgentRow[] = await this.dataSource.query(
      `${AGENT_SELECT}
        WHERE m.tenant_id = $1 AND ($2::uuid IS NULL OR m.structure_id = $2)
        ORDER BY immutable_unaccent(lower(u.last_name)), immutable_unaccent(lower(u.first_name)), m.created_at`,
      [auth.tenantId, scope],
    );
    return rows.map(toAgent);
  }

  /**
   * Gives a person a role in a structure. A new person gets an account and a single-use activation
   * link; a person who already has an account in the tenant gets one more membership.
   */
  async invite(auth: AuthContext, dto: InviteAgentDto): Promise<InviteAgentResponse> {
    const structureId = await this.targetStructure(auth, dto);
    const done = await this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(UserEntity, { where: { email: dto.email }, lock: { mode: 'pessimistic_write' } });
      if (existing && existing.tenantId !== auth.tenantId) {
        throw new DomainError('CONFLICT', 'Cette adresse électronique est déjà celle d’un compte d’un autre département.');
      }
      if (existing) await this.assertNoMembership(existing.id, structureId, manager);
      const user =
        existing ??
        (await manager.save(
          manager.create(UserEntity, { tenantId: auth.tenantId, email: dto.email, firstName: dto.firstName, lastName: dto.lastName, passwordHash: null }),
        ));
      const membership = await manager.save(
        manager.create(MembershipEntity, { tenantId: auth.tenantId, userId: user.id, structureId, role: dto.role }),
      );
      const activation = user.passwordHash === null ? await this.issueActivation(user.id, manager) : null;
      await this.audit.record(
        auth,
        { action: 'agent.invite', entityType: 'membership', entityId: membership.id, reason: existing ? 'existing_user' : 'new_user' },
        manager,
      );
      return { membershipId: membership.id, activation };
    });
    return this.withActivation(auth, done.membershipId, done.activation);
  }

  /** Ends the membership and, at once, every session acting through it. */
  async deactivate(auth: AuthContext, membershipId: string): Promise<Agent> {
    const membership = await this.membershipInScope(auth, membershipId);
    if (membership.id === auth.membershipId) {
      throw new DomainError('CONFLICT', 'Vous ne pouvez pas désactiver votre propre affectation : demandez-le à un autre administrateur.');
    }
    if (!membership.deactivatedAt) {
      await this.dataSource.transaction(async (manager) => {
        await manager.update(MembershipEntity, { id: membership.id, deactivatedAt: IsNull() }, { deactivatedAt: () => 'now()' });
        const revoked = await this.sessions.revokeForMembership(membership.id, 'deactivated', manager);
        await this.audit.record(
          auth,
          { action: 'agent.deactivate', entityType: 'membership', entityId: membership.id, reason: revoked > 0 ? 'sessions_revoked' : undefined },
          manager,
        );
      });
    }
    return this.getAgent(auth, membership.id);
  }

  /** Grants or removes the permission to override consent for a legal reason (person roles only). */
  async setConsentOverride(auth: AuthContext, membershipId: string, allowed: boolean): Promise<Agent> {
    const membership = await this.membershipInScope(auth, membershipId);
    if (allowed && !PERSON_ROLES.includes(membership.role)) {
      throw new DomainError('VALIDATION_FAILED', 'Seuls les agents qui travaillent sur les dossiers des personnes peuvent recevoir cette permission.');
    }
    if (membership.mayOverrideConsent !== allowed) {
      await this.dataSource.transaction(async (manager) => {
        await manager.update(MembershipEntity, { id: membership.id }, { mayOverrideConsent: allowed });
        await this.audit.record(
          auth,
          { action: 'agent.consent_override', entityType: 'membership', entityId: membership.id, reason: allowed ? 'granted' : 'removed' },
          manager,
        );
      });
    }
    return this.getAgent(auth, membership.id);
  }

  async reactivate(auth: AuthContext, membershipId: string): Promise<Agent> {
    const membership = await this.membershipInScope(auth, membershipId);
    if (membership.deactivatedAt) {
      await this.dataSource.transaction(async (manager) => {
        await manager.update(MembershipEntity, { id: membership.id }, { deactivatedAt: null });
        await this.audit.record(auth, { action: 'agent.reactivate', entityType: 'membership', entityId: membership.id }, manager);
      });
    }
    return this.getAgent(auth, membership.id);
  }

  /** A fresh single-use link for an agent who has not chosen a password yet (the previous link stops working). */
  async newActivationLink(auth: AuthContext, membershipId: string): Promise<InviteAgentResponse> {
    const membership = await this.membershipInScope(auth, membershipId);
    if (membership.deactivatedAt) {
      throw new DomainError('CONFLICT', 'Cette affectation est désactivée : réactivez-la avant d’envoyer un lien d’activation.');
    }
    const activation = await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOneOrFail(UserEntity, { where: { id: membership.userId }, lock: { mode: 'pessimistic_write' } });
      if (user.passwordHash !== null) {
        throw new DomainError('CONFLICT', 'Ce compte est déjà activé : l’agent se connecte avec son mot de passe.');
      }
      const issued = await this.issueActivation(user.id, manager);
      await this.audit.record(auth, { action: 'agent.activation_link', entityType: 'membership', entityId: membership.id }, manager);
      return issued;
    });
    return this.withActivation(auth, membership.id, activation);
  }

  /** The structure the invitation is for, after the caller's rights were checked (null for a platform admin). */
  private async targetStructure(auth: AuthContext, dto: InviteAgentDto): Promise<string | null> {
    if (auth.role !== 'platform_admin') {
      if (!ROLES_GRANTABLE_BY_STRUCTURE_ADMIN.includes(dto.role)) {
        throw forbidden('Seul l’administrateur de la plateforme peut attribuer ce rôle.');
      }
      if (dto.structureId && dto.structureId !== auth.structureId) {
        throw forbidden('Vous ne pouvez inviter des agents que dans votre structure.');
      }
      const own = auth.structureId;
      if (!own) throw forbidden();
      await this.assertStructureActive(await this.requireStructure(auth, own));
      return own;
    }
    if (dto.role === 'platform_admin') {
      if (dto.structureId) {
        const message = 'Un administrateur de la plateforme n’est rattaché à aucune structure : retirez la structure.';
        throw new DomainError('VALIDATION_FAILED', message, [{ field: 'structureId', messages: [message] }]);
      }
      return null;
    }
    if (!dto.structureId) {
      const message = 'Choisissez la structure dans laquelle inviter l’agent.';
      throw new DomainError('VALIDATION_FAILED', message, [{ field: 'structureId', messages: [message] }]);
    }
    await this.assertStructureActive(await this.requireStructure(auth, dto.structureId));
    return dto.structureId;
  }

  private async requireStructure(auth: AuthContext, id: string): Promise<StructureEntity> {
    const structure = await this.dataSource.manager.findOneBy(StructureEntity, { id, tenantId: auth.tenantId });
    if (!structure) throw notFound('Structure');
    return structure;
  }

  private assertStructureActive(structure: StructureEntity): void {
    if (!structure.active) throw new DomainError('CONFLICT', 'Cette structure est désactivée : réactivez-la avant d’y inviter des agents.');
  }

  private async assertNoMembership(userId: string, structureId: string | null, manager: EntityManager): Promise<void> {
    const rows: { deactivated_at: Date | null }[] = await manager.query(
      `SELECT deactivated_at FROM membership WHERE user_id = $1 AND structure_id IS NOT DISTINCT FROM $2::uuid`,
      [userId, structureId],
    );
    if (rows[0]) {
      throw new DomainError(
        'CONFLICT',
        rows[0].deactivated_at
          ? 'Cette personne a déjà une affectation, désactivée, dans cette structure : réactivez-la plutôt.'
          : 'Cette personne est déjà agent de cette structure.',
      );
    }
  }

  /** A membership of the tenant within the caller's reach (their structure, or any for a platform admin). */
  private async membershipInScope(auth: AuthContext, id: string): Promise<MembershipEntity> {
    const membership = await this.dataSource.manager.findOneBy(MembershipEntity, {
      id,
      tenantId: auth.tenantId,
      ...(auth.role === 'platform_admin' ? {} : { structureId: auth.structureId ?? IsNull() }),
    });
    if (!membership) throw notFound('Agent');
    return membership;
  }

  /** New single-use token: only its HMAC is stored, replacing any previous one. */
  private async issueActivation(userId: string, manager: EntityManager): Promise<Activation> {
    const token = randomToken();
    const expiresAt = new Date(Date.now() + this.config.ACTIVATION_LINK_HOURS * 3_600_000);
    await manager.update(UserEntity, { id: userId }, { activationTokenHash: hashToken(this.config.SESSION_SECRET, token), activationExpiresAt: expiresAt });
    return { url: `${this.config.publicUrl}/activation?jeton=${encodeURIComponent(token)}`, expiresAt };
  }

  /** The response of an invitation or a new link; e-mails the link when mail is configured (best effort). */
  private async withActivation(auth: AuthContext, membershipId: string, activation: Activation | null): Promise<InviteAgentResponse> {
    const agent = await this.getAgent(auth, membershipId);
    if (activation && this.mail.enabled) {
      await this.mail.send(activationMail({ to: agent.email, firstName: agent.firstName, structureName: agent.structureName, ...activation }));
    }
    return { agent, activationUrl: activation?.url ?? null, activationExpiresAt: activation?.expiresAt.toISOString() ?? null };
  }

  private async getAgent(auth: AuthContext, membershipId: string): Promise<Agent> {
    const rows: AgentRow[] = await this.dataSource.query(`${AGENT_SELECT} WHERE m.tenant_id = $1 AND m.id = $2`, [auth.tenantId, membershipId]);
    if (!rows[0]) throw notFound('Agent');
    return toAgent(rows[0]);
  }
}

function toAgent(r: AgentRow): Agent {
  return {
    id: r.id,
    userId: r.user_id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    role: r.role,
    structureId: r.structure_id,
    structureName: r.structure_name,
    status: r.deactivated_at ? 'deactivated' : r.activated ? 'active' : 'invited',
    mayOverrideConsent: r.may_override_consent,
    createdAt: r.created_at.toISOString(),
  };
}
