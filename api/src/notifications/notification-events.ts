import { Injectable } from '@nestjs/common';
import type { HandoffStatus, ReferralStatus } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import { NotificationsService } from './notifications.service';

/** Who did it, in which tenant: every hook takes this and the id of what changed. */
export interface NotificationEventContext {
  tenantId: string;
  /** The user who acted (never notified of their own action); null for a job. */
  actorUserId: string | null;
}

/**
 * Statuses the sender of an orientation hears of. Not 'received': the receiver merely opened it (the
 * sent list shows it), a notification and an e-mail for each opening would be noise.
 */
export const SENDER_NOTIFIED_STATUSES: readonly ReferralStatus[] = ['accepted', 'refused', 'redirected', 'in_charge', 'closed', 'cancelled'];

/**
 * The notifications of the orientations and handoffs, one method per event: the services that make
 * these changes call them **inside their transaction, after the change** (the row is read back with
 * the same `manager`, so the caller passes ids only):
 *
 * - `ReferralsService.create` (a new orientation)   → `referralSent(manager, { tenantId, actorUserId, referralId })`
 * - `ReferralsService.changeStatus` (any step)       → `referralStatusChanged(manager, { tenantId, actorUserId, referralId })`
 *   (a réorientation also announces the new orientation to its structure: no separate call for it)
 * - `HandoffsService.propose`                        → `handoffProposed(manager, { tenantId, actorUserId, handoffId })`
 * - `HandoffsService` answer (accept, decline) or cancellation → `handoffAnswered(manager, { tenantId, actorUserId, handoffId })`
 * - a periodic check of the directory                → `servicesStale(manager, { tenantId, actorUserId: null, structureId })`
 *
 * Reminders and expiry are notified by ReferralRemindersService. Each method inserts rows only (the
 * e-mail follows after commit, from the outbox job); it never throws for want of recipients.
 */
@Injectable()
export class NotificationEvents {
  constructor(private readonly notifications: NotificationsService) {}

  /** A new orientation: every agent of the receiving structure (referral_received). */
  async referralSent(manager: EntityManager, event: NotificationEventContext & { referralId: string }): Promise<void> {
    const referral = await findReferral(manager, event.tenantId, event.referralId);
    if (!referral) return;
    await this.notifications.notify(manager, {
      tenantId: event.tenantId,
      actorUserId: event.actorUserId,
      kind: 'referral_received',
      entityType: 'referral',
      entityId: referral.id,
      fromStructureId: referral.from_structure_id,
      to: { structureId: referral.to_structure_id },
    });
  }

  /**
   * A step of the loop (call after the UPDATE): the agent who sent the orientation hears of its new
   * status (referral_status, detail = the status) — or, when they no longer work for the sending
   * structure, its agents. Not for 'received' (SENDER_NOTIFIED_STATUSES). For a réorientation, the
   * new orientation (parent_referral_id = this one) is announced to the structure it goes to.
   */
  async referralStatusChanged(manager: EntityManager, event: NotificationEventContext & { referralId: string }): Promise<void> {
    const referral = await findReferral(manager, event.tenantId, event.referralId);
    if (!referral || !SENDER_NOTIFIED_STATUSES.includes(referral.status)) return;
    await this.notifications.notify(manager, {
      tenantId: event.tenantId,
      actorUserId: event.actorUserId,
      kind: 'referral_status',
      entityType: 'referral',
      entityId: referral.id,
      fromStructureId: referral.to_structure_id,
      detail: referral.status,
      to: senderOf(referral),
    });
    if (referral.status !== 'redirected') return;
    const children: { id: string }[] = await manager.query(`SELECT id FROM referral WHERE tenant_id = $1 AND parent_referral_id = $2`, [
      event.tenantId,
      referral.id,
    ]);
    for (const child of children) await this.referralSent(manager, { ...event, referralId: child.id });
  }

  /** A handoff proposed: the professional it is proposed to, as a member of the receiving structure (handoff_proposed). */
  async handoffProposed(manager: EntityManager, event: NotificationEventContext & { handoffId: string }): Promise<void> {
    const handoff = await findHandoff(manager, event.tenantId, event.handoffId);
    if (!handoff) return;
    await this.notifications.notify(manager, {
      tenantId: event.tenantId,
      actorUserId: event.actorUserId,
      kind: 'handoff_proposed',
      entityType: 'handoff',
      entityId: handoff.id,
      fromStructureId: handoff.from_structure_id,
      to: { userIds: [handoff.to_user_id], memberOf: handoff.to_structure_id },
    });
  }

  /**
   * A handoff answered (call after the UPDATE; handoff_answered, detail = the status): accepted or
   * declined → the professional who proposed it (or, if they left, their structure's agents);
   * cancelled → the professional it was proposed to.
   */
  async handoffAnswered(manager: EntityManager, event: NotificationEventContext & { handoffId: string }): Promise<void> {
    const handoff = await findHandoff(manager, event.tenantId, event.handoffId);
    if (!handoff || handoff.status === 'proposed') return;
    const cancelled = handoff.status === 'cancelled';
    await this.notifications.notify(manager, {
      tenantId: event.tenantId,
      actorUserId: event.actorUserId,
      kind: 'handoff_answered',
      entityType: 'handoff',
      entityId: handoff.id,
      fromStructureId: cancelled ? handoff.from_structure_id : handoff.to_structure_id,
      detail: handoff.status,
      to: cancelled
        ? { userIds: [handoff.to_user_id], memberOf: handoff.to_structure_id }
        : { userIds: handoff.from_user_id ? [handoff.from_user_id] : [], memberOf: handoff.from_structure_id, orElseStructure: true },
    });
  }

  /** Services of the structure need checking: its administrators, unless they have not read the previous reminder (services_stale). */
  async servicesStale(manager: EntityManager, event: NotificationEventContext & { structureId: string }): Promise<void> {
    await this.notifications.notify(manager, {
      tenantId: event.tenantId,
      actorUserId: event.actorUserId,
      kind: 'services_stale',
      entityType: 'structure',
      entityId: event.structureId,
      to: { structureId: event.structureId, roles: ['structure_admin'] },
      skipIfUnread: true,
    });
  }
}

interface ReferralParties {
  id: string;
  status: ReferralStatus;
  from_structure_id: string;
  from_user_id: string | null;
  to_structure_id: string;
}

/** The sender of an orientation: the agent who sent it, as a member of the sending structure; its agents if they left. */
export function senderOf(referral: Pick<ReferralParties, 'from_structure_id' | 'from_user_id'>) {
  return { userIds: referral.from_user_id ? [referral.from_user_id] : [], memberOf: referral.from_structure_id, orElseStructure: true };
}

async function findReferral(manager: EntityManager, tenantId: string, id: string): Promise<ReferralParties | null> {
  const rows: ReferralParties[] = await manager.query(
    `SELECT id, status, from_structure_id, from_user_id, to_structure_id FROM referral WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  return rows[0] ?? null;
}

interface HandoffParties {
  id: string;
  status: HandoffStatus;
  from_structure_id: string;
  from_user_id: string | null;
  to_structure_id: string;
  to_user_id: string;
}

async function findHandoff(manager: EntityManager, tenantId: string, id: string): Promise<HandoffParties | null> {
  const rows: HandoffParties[] = await manager.query(
    `SELECT id, status, from_structure_id, from_user_id, to_structure_id, to_user_id FROM handoff WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  return rows[0] ?? null;
}
