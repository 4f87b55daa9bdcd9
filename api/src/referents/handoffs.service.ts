import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Handoff, HandoffStatus } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error';
import { NotificationEvents } from '../notifications/notification-events';
import { MERGED_MESSAGE, PersonAccessService } from '../persons/person-access.service';
import type { AnswerHandoffDto, ProposeHandoffDto } from './dto/referents.dto';
import {
  answerHandoff,
  findHandoffs,
  findProposedForPerson,
  insertHandoff,
  lockHandoff,
  type HandoffFilter,
  type HandoffViewer,
  type LockedHandoff,
} from './handoffs.repository';
import { canHandoffTransition, HANDOFF_PENDING_MESSAGE, handoffInvalidTransition, translateConstraintError } from './referent-rules';
import { findProfessionals } from './referents.repository';
import { ReferentsService } from './referents.service';

/** How long answered handoffs stay in the inbox and the sent list. */
export const HANDOFF_RECENT_DAYS = 30;
export const HANDOFF_LIST_LIMIT = 100;

const M = {
  receiver: 'Choisissez le destinataire parmi les professionnels en activité du territoire (accueil, travail social, administration).',
  severalStructures: 'Ce professionnel travaille pour plusieurs structures : précisez à laquelle le relais est passé.',
  toSelf: 'Vous ne pouvez pas vous passer le relais à vous-même : choisissez un ou une collègue.',
  replayOtherPerson: 'Cette clé d’idempotence a déjà servi pour une autre personne.',
  consent: (structure: string) =>
    `La personne n’a consenti à aucun partage d’informations avec « ${structure} » : recueillez d’abord son consentement nommant cette structure, puis passez le relais.`,
  onlyReceiver: 'Seul le professionnel à qui le relais est proposé peut y répondre.',
  otherMembership: (structure: string) => `Ce relais vous est proposé au titre de « ${structure} » : agissez avec votre rôle dans cette structure pour y répondre.`,
  onlySender: 'Seule la structure qui a proposé le relais peut l’annuler.',
  merged: MERGED_MESSAGE,
};

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);

/**
 * Handoffs (passages de relais, decision 0012): a structure that follows the person hands the case to a
 * professional of the territory with a transmission note; the receiver accepts (their structure then
 * follows the person, and they may become référent in the same transaction) or declines with a reason;
 * the sender may cancel while it waits. One handoff waits per person (partial unique index). Handing to
 * another structure needs the person's consent naming it (409 CONSENT_REQUIRED). The handoff and its
 * note are read by the sender's structure and the receiver only.
 */
@Injectable()
export class HandoffsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly referents: ReferentsService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationEvents,
  ) {}

  /** Proposes a handoff; idempotent on clientRequestId (a retry returns the handoff already proposed). */
  async propose(auth: AuthContext, dto: ProposeHandoffDto): Promise<Handoff> {
    const structureId = this.structureOf(auth);
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.access.assertFollows(auth, dto.personId, manager);
        const replay = await this.replay(manager, auth, dto);
        if (replay) return replay;
        await this.access.assertNotAnonymized(dto.personId, manager);
        const receiver = await this.resolveReceiver(manager, auth, dto);
        if (receiver.userId === auth.userId) throw invalid('toUserId', M.toSelf);
        if (receiver.structureId !== structureId) await this.assertConsentNames(manager, auth.tenantId, dto.personId, receiver.structureId, receiver.structureName);
        if (await findProposedForPerson(manager, dto.personId)) throw new DomainError('CONFLICT', HANDOFF_PENDING_MESSAGE);
        const id = await insertHandoff(manager, {
          tenantId: auth.tenantId,
          clientRequestId: dto.clientRequestId,
          personId: dto.personId,
          fromStructureId: structureId,
          fromUserId: auth.userId,
          toStructureId: receiver.structureId,
          toUserId: receiver.userId,
          note: dto.note,
          proposeReferent: dto.proposeReferent ?? false,
        });
        if (!id) {
          // A concurrent retry with the same key won the race: answer with its handoff.
          const winner = await this.replay(manager, auth, dto);
          if (!winner) throw invalid('clientRequestId', M.replayOtherPerson);
          return winner;
        }
        await this.audit.record(auth, { action: 'handoff.propose', entityType: 'person', entityId: dto.personId, reason: id }, manager);
        await this.afterHandoffProposed(manager, { tenantId: auth.tenantId, actorUserId: auth.userId, handoffId: id, toUserId: receiver.userId, fromStructureId: structureId });
        return this.one(manager, auth, id);
      });
    } catch (error) {
      return translateConstraintError(error);
    }
  }

  /** Proposed to me (as a professional of my current structure), and those I answered recently. Audited. */
  inbox(auth: AuthContext): Promise<Handoff[]> {
    const structureId = this.structureOf(auth);
    return this.list(auth, { toUserId: auth.userId, toStructureId: structureId }, 'inbox');
  }

  /** Proposed by my structure: waiting ones, and those answered recently. Audited. */
  sent(auth: AuthContext): Promise<Handoff[]> {
    return this.list(auth, { fromStructureId: this.structureOf(auth) }, 'sent');
  }

  /** One handoff, for the sender's structure or the receiver only (404 for anyone else). Audited on the person. */
  async get(auth: AuthContext, id: string): Promise<Handoff> {
    return this.dataSource.transaction(async (manager) => {
      const handoff = await this.one(manager, auth, id);
      await this.audit.record(auth, { action: 'handoff.read', entityType: 'person', entityId: handoff.personId, reason: id }, manager);
      return handoff;
    });
  }

  /**
   * The receiver's answer. Accepting: the receiver's structure starts following the person, and when
   * `becomeReferent` the receiver is designated référent (the previous one's term ends: 'handoff'), all
   * in one transaction. Declining: a reason, read by the sender. The handoff row is locked, and the
   * trigger refuses any other transition (409 either way).
   */
  async answer(auth: AuthContext, id: string, dto: AnswerHandoffDto): Promise<Handoff> {
    const to: HandoffStatus = dto.decision === 'accept' ? 'accepted' : 'declined';
    try {
      return await this.dataSource.transaction(async (manager) => {
        // The person row first, then the handoff: the order the anonymisation locks them in (no deadlock).
        await this.lockPersonOf(manager, auth.tenantId, id);
        const handoff = await this.lockVisible(manager, auth, id);
        if (handoff.toUserId !== auth.userId) throw forbidden(M.onlyReceiver);
        if (handoff.toStructureId !== auth.structureId) throw forbidden(M.otherMembership(await this.structureName(manager, handoff.toStructureId)));
        if (!canHandoffTransition(handoff.status, to)) throw handoffInvalidTransition(handoff.status, to);
        if (to === 'accepted') {
          await this.accept(manager, auth, handoff, dto);
        } else {
          await answerHandoff(manager, id, 'declined', auth.userId, dto.declineReason ?? null);
        }
        await this.audit.record(auth, { action: `handoff.${dto.decision}`, entityType: 'person', entityId: handoff.personId, reason: id }, manager);
        await this.afterHandoffAnswered(manager, { tenantId: auth.tenantId, actorUserId: auth.userId, handoffId: id, status: to, fromStructureId: handoff.fromStructureId });
        return this.one(manager, auth, id);
      });
    } catch (error) {
      return translateConstraintError(error);
    }
  }

  /** The sender's structure withdraws a handoff still waiting for its answer. */
  async cancel(auth: AuthContext, id: string): Promise<Handoff> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const handoff = await this.lockVisible(manager, auth, id);
        if (handoff.fromStructureId !== auth.structureId) throw forbidden(M.onlySender);
        if (!canHandoffTransition(handoff.status, 'cancelled')) throw handoffInvalidTransition(handoff.status, 'cancelled');
        await answerHandoff(manager, id, 'cancelled', auth.userId, null);
        await this.audit.record(auth, { action: 'handoff.cancel', entityType: 'person', entityId: handoff.personId, reason: id }, manager);
        await this.afterHandoffAnswered(manager, { tenantId: auth.tenantId, actorUserId: auth.userId, handoffId: id, status: 'cancelled', fromStructureId: handoff.fromStructureId });
        return this.one(manager, auth, id);
      });
    } catch (error) {
      return translateConstraintError(error);
    }
  }

  private async accept(manager: EntityManager, auth: AuthContext, handoff: LockedHandoff, dto: AnswerHandoffDto): Promise<void> {
    // Share-locked by answer() before the handoff row.
    const person: { merged_into_id: string | null; anonymized_at: Date | null }[] = await manager.query(
      `SELECT merged_into_id, anonymized_at FROM person WHERE id = $1`,
      [handoff.personId],
    );
    if (person[0]?.merged_into_id) throw new DomainError('CONFLICT', M.merged);
    if (person[0]?.anonymized_at) throw new DomainError('PERSON_ANONYMIZED');
    // The consent may have been withdrawn since the proposal: following the person opens the file, so it is checked again.
    if (handoff.toStructureId !== handoff.fromStructureId) {
      await this.assertConsentNames(manager, auth.tenantId, handoff.personId, handoff.toStructureId, await this.structureName(manager, handoff.toStructureId));
    }
    await this.access.follow(auth.tenantId, handoff.personId, handoff.toStructureId, 'handoff', manager);
    if (dto.becomeReferent) {
      const current = await this.referents.activeReferent(manager, handoff.personId);
      if (!current || current.userId !== auth.userId || current.structureId !== handoff.toStructureId) {
        const referentId = await this.referents.designateWithin(manager, {
          tenantId: auth.tenantId,
          personId: handoff.personId,
          userId: auth.userId,
          structureId: handoff.toStructureId,
          criteria: dto.criteria ?? [],
          chosenWithPerson: dto.chosenWithPerson ?? false,
          criteriaNote: null,
          designatedByUserId: auth.userId,
          handoffId: handoff.id,
          previousEndsWith: 'handoff',
        });
        await this.audit.record(auth, { action: 'referent.designate', entityType: 'person', entityId: handoff.personId, reason: referentId }, manager);
      }
    }
    await answerHandoff(manager, handoff.id, 'accepted', auth.userId, null);
  }

  private async list(auth: AuthContext, filter: Omit<HandoffFilter, 'tenantId'>, kind: 'inbox' | 'sent'): Promise<Handoff[]> {
    return this.dataSource.transaction(async (manager) => {
      const handoffs = await findHandoffs(
        manager,
        { ...filter, tenantId: auth.tenantId, recentDays: HANDOFF_RECENT_DAYS, limit: HANDOFF_LIST_LIMIT },
        this.viewer(auth),
      );
      await this.audit.record(auth, { action: `handoff.${kind}.read`, entityType: 'handoff', reason: `count:${handoffs.length}` }, manager);
      return handoffs;
    });
  }

  /** The handoff as the caller may see it: 404 unless their structure sent it or it was proposed to them. */
  private async one(manager: EntityManager, auth: AuthContext, id: string): Promise<Handoff> {
    const [handoff] = await findHandoffs(manager, { tenantId: auth.tenantId, ids: [id] }, this.viewer(auth));
    if (!handoff || !(handoff.from.structureId === auth.structureId || handoff.to.userId === auth.userId)) throw notFound('Passage de relais');
    return handoff;
  }

  /** Share-locks the row of the handoff's person (an anonymisation under way finishes first, and is then seen). */
  private async lockPersonOf(manager: EntityManager, tenantId: string, handoffId: string): Promise<void> {
    await manager.query(
      `SELECT p.id FROM person p WHERE p.id = (SELECT h.person_id FROM handoff h WHERE h.tenant_id = $1 AND h.id = $2) FOR SHARE OF p`,
      [tenantId, handoffId],
    );
  }

  private async lockVisible(manager: EntityManager, auth: AuthContext, id: string): Promise<LockedHandoff> {
    const handoff = await lockHandoff(manager, auth.tenantId, id);
    if (!handoff || !(handoff.fromStructureId === auth.structureId || handoff.toUserId === auth.userId)) throw notFound('Passage de relais');
    return handoff;
  }

  private viewer(auth: AuthContext): HandoffViewer {
    return {
      structureId: auth.structureId ?? '00000000-0000-0000-0000-000000000000',
      names: (alias, firstParam) => this.access.visibleSql(auth, alias, firstParam),
      note: (alias, firstParam) => this.access.accessibleSql(auth, alias, firstParam),
    };
  }

  private async replay(manager: EntityManager, auth: AuthContext, dto: ProposeHandoffDto): Promise<Handoff | null> {
    const [previous] = await findHandoffs(manager, { tenantId: auth.tenantId, clientRequestId: dto.clientRequestId }, this.viewer(auth));
    if (!previous) return null;
    if (previous.personId !== dto.personId || previous.from.structureId !== auth.structureId) throw invalid('clientRequestId', M.replayOtherPerson);
    return previous;
  }

  /** The receiving professional: active, of the tenant, with a role that works with person files (400 otherwise). */
  private async resolveReceiver(manager: EntityManager, auth: AuthContext, dto: ProposeHandoffDto) {
    const candidates = await findProfessionals(manager, auth.tenantId, { userId: dto.toUserId, structureId: dto.toStructureId ?? undefined, limit: 10 });
    if (candidates.length === 0) throw invalid(dto.toStructureId ? 'toStructureId' : 'toUserId', M.receiver);
    if (candidates.length === 1) return candidates[0];
    const own = candidates.find((c) => c.structureId === auth.structureId);
    if (own) return own;
    throw invalid('toStructureId', M.severalStructures);
  }

  /** 409 CONSENT_REQUIRED unless an active consent names the structure (any category: the handoff opens the file to it). */
  private async assertConsentNames(manager: EntityManager, tenantId: string, personId: string, structureId: string, structureName: string): Promise<void> {
    const categories = await this.access.consentedCategories(tenantId, personId, structureId, manager);
    if (categories.length > 0) return;
    throw new DomainError('CONSENT_REQUIRED', M.consent(structureName), undefined, { consentRequired: { structureId, missingCategories: [] } });
  }

  private async structureName(manager: EntityManager, structureId: string): Promise<string> {
    const rows: { name: string }[] = await manager.query(`SELECT name FROM structure WHERE id = $1`, [structureId]);
    return rows[0]?.name ?? '';
  }

  private structureOf(auth: AuthContext): string {
    if (!auth.structureId) throw forbidden();
    return auth.structureId;
  }

  /**
   * The one place where a proposed handoff is announced: the receiver's notification ('handoff_proposed',
   * decision 0013), in the same transaction. It names no person: the handoff's id is enough to open it.
   */
  private afterHandoffProposed(
    manager: EntityManager,
    event: { tenantId: string; actorUserId: string; handoffId: string; toUserId: string; fromStructureId: string },
  ): Promise<void> {
    return this.notifications.handoffProposed(manager, { tenantId: event.tenantId, actorUserId: event.actorUserId, handoffId: event.handoffId });
  }

  /**
   * The one place where an answer (accepted, declined) or a cancellation is announced: 'handoff_answered'
   * for the sender (accepted, declined) or the receiver (cancelled), read back from the row.
   */
  private afterHandoffAnswered(
    manager: EntityManager,
    event: { tenantId: string; actorUserId: string; handoffId: string; status: HandoffStatus; fromStructureId: string },
  ): Promise<void> {
    return this.notifications.handoffAnswered(manager, { tenantId: event.tenantId, actorUserId: event.actorUserId, handoffId: event.handoffId });
  }
}
