import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  NOTIFICATION_LIST_LIMIT,
  type AppNotification,
  type NotificationEntityType,
  type NotificationKind,
  type NotificationSummary,
  type Role,
} from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import { notFound } from '../common/errors/domain-error';
import { activeUsers, countUnread, findForUser, insertForStructure, insertForUsers, markAllRead, markRead, type NotificationRow } from './notifications.repository';

/** The agents of a structure who hear of what arrives to it (coordinators do not: they watch, they do not answer). */
export const STRUCTURE_RECIPIENT_ROLES: readonly Role[] = ['reception_agent', 'social_worker', 'structure_admin'];

export type NotificationRecipients =
  /** Every active agent of the structure with one of `roles` (default STRUCTURE_RECIPIENT_ROLES). */
  | { structureId: string; roles?: readonly Role[] }
  /**
   * These users, if they still hold an active membership — in `memberOf` when given (the structure
   * they act for in this matter; it is also the notification's `toStructure`). With
   * `orElseStructure`, when none of them is still an active member of `memberOf`, the structure's
   * agents are notified instead (e.g. the sender of an orientation who has left).
   */
  | { userIds: string[]; memberOf?: string; orElseStructure?: boolean };

export interface NotifyInput {
  tenantId: string;
  kind: NotificationKind;
  entityType: NotificationEntityType;
  entityId: string;
  /** The other structure concerned (shown as "de …"). */
  fromStructureId?: string | null;
  /** A code completing the kind (e.g. the new status), at most 32 characters; never free text. */
  detail?: string | null;
  to: NotificationRecipients;
  /** The user who acted: never notified of their own action. */
  actorUserId?: string | null;
  /** Not again to a user who has not read the previous one of this kind for this entity (periodic checks). */
  skipIfUnread?: boolean;
}

/**
 * In-app notifications (decision 0013). `notify()` inserts one row per recipient in the caller's
 * transaction — a change rolled back notifies nobody — and the e-mail follows from the outbox job
 * (NotificationEmailSender), after commit. A notification names no person: a kind, the entity to
 * open (which its own access rules guard), the structures concerned. Users read and mark their own
 * only; anyone else's answers 404.
 */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts the notifications in `manager`'s transaction; returns the users notified. */
  async notify(manager: EntityManager, input: NotifyInput): Promise<string[]> {
    const row: NotificationRow = {
      tenantId: input.tenantId,
      kind: input.kind,
      entityType: input.entityType,
      entityId: input.entityId,
      fromStructureId: input.fromStructureId ?? null,
      detail: input.detail ?? null,
      actorUserId: input.actorUserId ?? null,
      skipIfUnread: input.skipIfUnread ?? false,
    };
    const to = input.to;
    if ('structureId' in to) return insertForStructure(manager, row, to.structureId, to.roles ?? STRUCTURE_RECIPIENT_ROLES);
    const wanted = to.userIds.filter((id): id is string => Boolean(id));
    const active = wanted.length > 0 ? await activeUsers(manager, input.tenantId, wanted, to.memberOf ?? null) : [];
    if (active.length === 0 && to.orElseStructure && to.memberOf) {
      return insertForStructure(manager, row, to.memberOf, STRUCTURE_RECIPIENT_ROLES);
    }
    return insertForUsers(manager, row, active, to.memberOf ?? null);
  }

  list(auth: AuthContext, options: { unreadOnly?: boolean } = {}): Promise<AppNotification[]> {
    return findForUser(this.dataSource.manager, auth, { unreadOnly: options.unreadOnly ?? false, limit: NOTIFICATION_LIST_LIMIT });
  }

  async summary(auth: AuthContext): Promise<NotificationSummary> {
    return { unread: await countUnread(this.dataSource.manager, auth) };
  }

  /** 404 unless the notification is the caller's. Marking it again keeps its first reading date. */
  async markRead(auth: AuthContext, id: string): Promise<AppNotification> {
    const notification = await markRead(this.dataSource.manager, auth, id);
    if (!notification) throw notFound('Notification');
    return notification;
  }

  async markAllRead(auth: AuthContext): Promise<NotificationSummary> {
    await markAllRead(this.dataSource.manager, auth);
    return this.summary(auth);
  }
}
