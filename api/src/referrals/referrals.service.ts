import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RECEIVER_STATUSES, REFERRAL_PAGE_SIZE, REQUEST_STATUS_LABELS, type Referral, type ReferralListQuery, type ReferralStatus } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden, notFound } from '../common/errors/domain-error';
import { NotificationEvents } from '../notifications/notification-events';
import { PersonAccessService } from '../persons/person-access.service';
import { isClosedStatus } from '../requests/request-status';
import { findRequests, lockRequest } from '../requests/requests.repository';
import type { ChangeReferralStatusDto, CreateReferralDto } from './dto/referral.dto';
import { categoriesProblem, consentRequiredMessage, coveredCategories, missingCategories, statusChangeProblems, type FieldProblem } from './referral-rules';
import {
  canTransition,
  invalidTransition,
  isMadeBy,
  isTransitionRefusedByDatabase,
  notYourTransition,
  SENDER_STATUSES,
  sideOf,
  transitionRefusedByDatabase,
} from './referral-status';
import { findByClientRequestId, findReferrals, insertEvent, lockReferral, referralViewer, type ReferralFilter } from './referrals.repository';

type Caller = AuthContext & { structureId: string };
type CreateOutcome = { replay: true } | { replay: false; referralId: string };

const MESSAGES = {
  ownStructure: 'Une orientation s’adresse à une autre structure que la vôtre.',
  inactiveStructure: 'Cette structure n’est plus active : choisissez-en une autre dans l’annuaire.',
  redirectElsewhere: 'Réorientez vers une troisième structure : ni celle qui a envoyé l’orientation, ni la vôtre.',
  service: 'Ce service n’est pas un service actif de la structure destinataire.',
  redirectService: 'Ce service n’est pas un service actif de la structure de réorientation.',
  contact: 'Ce contact n’est pas un contact de votre structure avec cette personne.',
  request: 'Demande introuvable pour cette personne.',
  replayOther: 'Cet identifiant de requête (clientRequestId) a déjà servi : générez-en un nouveau.',
  inFlight: 'Cette orientation est en cours d’enregistrement : réessayez.',
  anonymizedComment:
    'Ce dossier a été anonymisé : l’orientation peut encore changer de statut, mais sans commentaire (aucun texte libre ne s’ajoute à un dossier anonymisé).',
};

/**
 * Orientations (referrals) followed until the loop closes. A structure that follows the person sends
 * one to a partner structure (and one of its services), with the data categories the person's
 * consents cover for that partner; the receiver answers (accepts, refuses with the broken link of the
 * accessibility chain, redirects to a third structure), takes the person in charge — and then follows
 * them — and closes with an outcome; the sender may cancel while it is not taken in charge. The state
 * is on the row, every step a `referral_event`, the state machine enforced here and by a trigger.
 * What either side sees of the person is the access policy's (PersonAccessService), never decided here.
 */
@Injectable()
export class ReferralsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationEvents,
  ) {}

  /**
   * Sends an orientation. Idempotent on `clientRequestId`: a retry (sequential or concurrent) returns
   * the orientation already recorded and writes nothing; concurrent inserts meet on the unique
   * (tenant, client_request_id), the loser's ON CONFLICT DO NOTHING waiting for the winner's commit.
   */
  async create(auth: AuthContext, dto: CreateReferralDto): Promise<Referral> {
    const caller = callerOf(auth);
    const existing = await findByClientRequestId(this.dataSource.manager, auth.tenantId, dto.clientRequestId);
    if (existing) return this.replay(caller, existing);
    const problem = categoriesProblem(dto.categories);
    if (problem) throw invalid('categories', problem);

    const outcome = await this.dataSource.transaction(async (manager): Promise<CreateOutcome> => {
      await this.access.assertFollows(auth, dto.personId, manager);
      await this.access.assertNotAnonymized(dto.personId, manager);
      const target = await findTarget(manager, auth.tenantId, dto.toStructureId, 'toStructureId');
      if (target.id === caller.structureId) throw invalid('toStructureId', MESSAGES.ownStructure);
      if (dto.toServiceId) await assertActiveService(manager, auth.tenantId, target.id, dto.toServiceId, 'toServiceId', MESSAGES.service);
      if (dto.fromContactId) await assertContactOf(manager, caller, dto.personId, dto.fromContactId);
      const request = dto.requestId ? await this.lockLinkedRequest(manager, caller, dto.personId, dto.requestId) : null;

      const covered = await this.access.consentedCategories(auth.tenantId, dto.personId, target.id, manager);
      const missing = missingCategories(dto.categories, covered);
      if (missing.length > 0) {
        throw new DomainError('CONSENT_REQUIRED', consentRequiredMessage(missing, target.name), undefined, {
          consentRequired: { structureId: target.id, missingCategories: missing },
        });
      }

      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, from_user_id, from_contact_id, request_id,
                               to_structure_id, to_service_id, bouquet, message, categories)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text[])
         ON CONFLICT (tenant_id, client_request_id) DO NOTHING
         RETURNING id`,
        [
          auth.tenantId,
          dto.clientRequestId,
          dto.personId,
          caller.structureId,
          auth.userId,
          dto.fromContactId ?? null,
          dto.requestId ?? null,
          target.id,
          dto.toServiceId ?? null,
          dto.bouquet,
          dto.message ?? null,
          dto.categories,
        ],
      );
      const referralId = inserted[0]?.id;
      if (!referralId) return { replay: true };
      await insertEvent(manager, { tenantId: auth.tenantId, referralId, status: 'sent', userId: auth.userId, structureId: caller.structureId });
      await this.audit.record(auth, { action: 'referral.create', entityType: 'referral', entityId: referralId }, manager);
      // The receiving structure's agents are notified (decision 0013).
      await this.notifications.referralSent(manager, { tenantId: auth.tenantId, actorUserId: auth.userId, referralId });

      // Orienting is acting on the need: the caller's own open request is now in progress (decision 0011).
      if (request && request.structureId === caller.structureId && request.status === 'open') {
        await manager.query(
          `UPDATE request SET status = 'in_progress', status_changed_by_user_id = $2, updated_at = now() WHERE id = $1`,
          [request.id, auth.userId],
        );
        await this.audit.record(auth, { action: 'request.status', entityType: 'request', entityId: request.id, reason: 'open->in_progress' }, manager);
      }
      return { replay: false, referralId };
    });

    if (outcome.replay) {
      const winner = await findByClientRequestId(this.dataSource.manager, auth.tenantId, dto.clientRequestId);
      if (!winner) throw new DomainError('CONFLICT', MESSAGES.inFlight);
      return this.replay(caller, winner);
    }
    return this.load(caller, outcome.referralId);
  }

  /**
   * One orientation, for its sender or its receiver (404 for anyone else). The receiver opening a
   * "sent" orientation acknowledges it: it becomes "received" (event stamped). Audited.
   */
  async get(auth: AuthContext, id: string): Promise<Referral> {
    const caller = callerOf(auth);
    let referral = await this.load(caller, id);
    const side = sideOf({ fromStructureId: referral.from.id, toStructureId: referral.to.id }, caller.structureId);
    if (side === 'receiver' && referral.status === 'sent') {
      await this.dataSource.transaction(async (manager) => {
        const locked = await lockReferral(manager, auth.tenantId, id);
        if (locked?.status !== 'sent') return; // acknowledged meanwhile (another agent, another tab)
        await manager.query(`UPDATE referral SET status = 'received', received_at = now(), updated_at = now() WHERE id = $1`, [id]);
        await insertEvent(manager, { tenantId: auth.tenantId, referralId: id, status: 'received', userId: auth.userId, structureId: caller.structureId });
        await this.audit.record(auth, { action: 'referral.status', entityType: 'referral', entityId: id, reason: 'sent->received' }, manager);
      });
      referral = await this.load(caller, id);
    }
    await this.audit.record(auth, { action: 'referral.read', entityType: 'referral', entityId: id, reason: side });
    return referral;
  }

  /** Orientations received by the caller's structure, newest first, filtered and paginated. Audited. */
  async inbox(auth: AuthContext, query: ReferralListQuery): Promise<Referral[]> {
    return this.list(auth, 'inbox', query);
  }

  /** Orientations sent by the caller's structure, newest first, filtered and paginated. Audited. */
  async sent(auth: AuthContext, query: ReferralListQuery): Promise<Referral[]> {
    return this.list(auth, 'sent', query);
  }

  /**
   * A person's orientations (404 unless the caller may see the person): those the caller's structure
   * sent or received, and other structures' when "besoins et demandes" is shared with it. Audited.
   */
  async listForPerson(auth: AuthContext, personId: string): Promise<Referral[]> {
    const caller = callerOf(auth);
    const access = await this.access.assertCanSee(auth, personId);
    const referrals = await findReferrals(this.dataSource.manager, referralViewer(this.access, caller), { scope: 'person', personId });
    await this.audit.record(auth, { action: 'person.referrals.read', entityType: 'person', entityId: personId, reason: access.reason });
    return referrals;
  }

  /**
   * Moves an orientation along its loop. The row is locked while the transition is checked; the
   * database trigger refuses an illegal transition in any case, and that refusal is answered 409 like
   * ours. Receiver-side steps by the receiving structure only, cancellation by the sender only.
   */
  async changeStatus(auth: AuthContext, id: string, dto: ChangeReferralStatusDto): Promise<Referral> {
    const caller = callerOf(auth);
    try {
      await this.dataSource.transaction(async (manager) => {
        const referral = await lockReferral(manager, auth.tenantId, id);
        const side = referral ? sideOf(referral, caller.structureId) : 'none';
        if (!referral || side === 'none') throw notFound('Orientation');
        const someones = RECEIVER_STATUSES.includes(dto.status) || SENDER_STATUSES.includes(dto.status);
        if (someones && !isMadeBy(side, dto.status)) throw notYourTransition(side, dto.status);
        if (!canTransition(referral.status, dto.status)) throw invalidTransition(referral.status, dto.status);
        const problems = statusChangeProblems(dto, { sentAt: referral.sentAt, now: new Date() });
        if (problems.length > 0) throw invalidAll(problems);
        if (referral.personAnonymized && dto.comment) throw new DomainError('PERSON_ANONYMIZED', MESSAGES.anonymizedComment);

        let redirectTo: { id: string } | null = null;
        if (dto.status === 'redirected') {
          const target = await findTarget(manager, auth.tenantId, dto.redirectToStructureId as string, 'redirectToStructureId');
          if (target.id === referral.fromStructureId || target.id === referral.toStructureId) {
            throw invalid('redirectToStructureId', MESSAGES.redirectElsewhere);
          }
          if (dto.redirectToServiceId) {
            await assertActiveService(manager, auth.tenantId, target.id, dto.redirectToServiceId, 'redirectToServiceId', MESSAGES.redirectService);
          }
          redirectTo = target;
        }

        const { sql, params } = statusUpdate(id, dto, redirectTo?.id ?? null);
        await manager.query(sql, params);
        await insertEvent(manager, { tenantId: auth.tenantId, referralId: id, status: dto.status, userId: auth.userId, structureId: caller.structureId });
        await this.audit.record(auth, { action: 'referral.status', entityType: 'referral', entityId: id, reason: `${referral.status}->${dto.status}` }, manager);

        // Taken in charge: the person has now met the receiving structure, which follows them (decision 0011).
        if (dto.status === 'in_charge') await this.access.follow(auth.tenantId, referral.personId, referral.toStructureId, 'referral', manager);

        if (redirectTo) {
          // A réorientation is a new orientation from the receiver, carrying only what the person's
          // consents cover for the new structure: nothing uncovered is passed on.
          const covered = await this.access.consentedCategories(auth.tenantId, referral.personId, redirectTo.id, manager);
          const [child]: { id: string }[] = await manager.query(
            `INSERT INTO referral (tenant_id, client_request_id, person_id, from_structure_id, from_user_id, request_id, parent_referral_id,
                                   to_structure_id, to_service_id, bouquet, message, categories)
             VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[])
             RETURNING id`,
            [
              auth.tenantId,
              referral.personId,
              caller.structureId,
              auth.userId,
              referral.requestId,
              referral.id,
              redirectTo.id,
              dto.redirectToServiceId ?? null,
              referral.bouquet,
              referral.message,
              coveredCategories(referral.categories, covered),
            ],
          );
          await insertEvent(manager, { tenantId: auth.tenantId, referralId: child.id, status: 'sent', userId: auth.userId, structureId: caller.structureId });
          await this.audit.record(auth, { action: 'referral.create', entityType: 'referral', entityId: child.id, reason: 'redirect' }, manager);
        }
        // The sender hears of the step; a réorientation's new orientation is announced to its structure (decision 0013).
        await this.notifications.referralStatusChanged(manager, { tenantId: auth.tenantId, actorUserId: auth.userId, referralId: id });
      });
    } catch (error) {
      if (isTransitionRefusedByDatabase(error)) throw transitionRefusedByDatabase(dto.status);
      throw error;
    }
    return this.load(caller, id);
  }

  private async list(auth: AuthContext, scope: 'inbox' | 'sent', query: ReferralListQuery): Promise<Referral[]> {
    const caller = callerOf(auth);
    const filter: ReferralFilter = {
      scope,
      status: query.status,
      bouquet: query.bouquet,
      olderThanDays: query.olderThanDays,
      limit: query.limit ?? REFERRAL_PAGE_SIZE,
      offset: query.offset ?? 0,
    };
    const referrals = await findReferrals(this.dataSource.manager, referralViewer(this.access, caller), filter);
    await this.audit.record(auth, { action: `referral.${scope}.read`, entityType: 'structure', entityId: caller.structureId });
    return referrals;
  }

  /** The orientation as the caller sees it (404 unless their structure sent or receives it). */
  private async load(caller: Caller, id: string, manager: EntityManager = this.dataSource.manager): Promise<Referral> {
    const [referral] = await findReferrals(manager, referralViewer(this.access, caller), { scope: 'party', ids: [id] });
    if (!referral) throw notFound('Orientation');
    return referral;
  }

  /** A retry of a create: the same orientation, if it was sent by the caller's structure. */
  private replay(caller: Caller, existing: { id: string; fromStructureId: string }): Promise<Referral> {
    if (existing.fromStructureId !== caller.structureId) throw new DomainError('CONFLICT', MESSAGES.replayOther);
    return this.load(caller, existing.id);
  }

  /**
   * The request the orientation follows: one of the person's, which the caller may see, still open or
   * in progress. Locked FOR UPDATE: its status may move to "in progress" in the same transaction.
   */
  private async lockLinkedRequest(manager: EntityManager, caller: Caller, personId: string, requestId: string) {
    const request = await lockRequest(manager, caller.tenantId, requestId);
    if (!request || request.personId !== personId) throw invalid('requestId', MESSAGES.request);
    const visible = await findRequests(manager, caller.tenantId, { ids: [requestId], personId, visibleTo: this.access.recordVisibilityFor(caller) });
    if (visible.length === 0) throw invalid('requestId', MESSAGES.request);
    if (isClosedStatus(request.status)) {
      throw new DomainError('CONFLICT', `Une demande close (« ${REQUEST_STATUS_LABELS[request.status]} ») ne peut plus être suivie par une orientation.`);
    }
    return request;
  }
}

function callerOf(auth: AuthContext): Caller {
  if (!auth.structureId) throw forbidden();
  return auth as Caller;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);
}

function invalidAll(problems: FieldProblem[]): DomainError {
  return new DomainError('VALIDATION_FAILED', problems.map((p) => p.messages.join(' ')).join(' '), problems);
}

/** A structure of the caller's tenant (404 otherwise), still active (400 otherwise). */
async function findTarget(manager: EntityManager, tenantId: string, id: string, field: string): Promise<{ id: string; name: string }> {
  const rows: { id: string; name: string; active: boolean }[] = await manager.query(
    `SELECT id, name, active FROM structure WHERE id = $1 AND tenant_id = $2`,
    [id, tenantId],
  );
  const target = rows[0];
  if (!target) throw notFound('Structure');
  if (!target.active) throw invalid(field, MESSAGES.inactiveStructure);
  return { id: target.id, name: target.name };
}

async function assertActiveService(manager: EntityManager, tenantId: string, structureId: string, serviceId: string, field: string, message: string): Promise<void> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM service WHERE id = $1 AND tenant_id = $2 AND structure_id = $3 AND active`, [
    serviceId,
    tenantId,
    structureId,
  ]);
  if (rows.length === 0) throw invalid(field, message);
}

async function assertContactOf(manager: EntityManager, caller: Caller, personId: string, contactId: string): Promise<void> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM contact WHERE id = $1 AND tenant_id = $2 AND structure_id = $3 AND person_id = $4`, [
    contactId,
    caller.tenantId,
    caller.structureId,
    personId,
  ]);
  if (rows.length === 0) throw invalid('fromContactId', MESSAGES.contact);
}

/**
 * The UPDATE of one step: the status, and the dates the indicators need — received_at (set by any
 * answer, if the receiver answered without opening it first), answered_at for an answer, in_charge_at,
 * closed_at, cancelled_at — and the step's own fields. A comment replaces the previous one.
 */
export function statusUpdate(id: string, dto: ChangeReferralStatusDto, redirectToStructureId: string | null): { sql: string; params: unknown[] } {
  const params: unknown[] = [id, dto.status];
  const sets = ['status = $2', 'updated_at = now()'];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  const answers: ReferralStatus[] = ['accepted', 'refused', 'redirected'];
  if (dto.status === 'received') sets.push('received_at = now()');
  if (answers.includes(dto.status)) sets.push('received_at = coalesce(received_at, now())', 'answered_at = now()');
  if (dto.status === 'refused') {
    set('refusal_reason', dto.refusalReason);
    set('broken_link', dto.brokenLink);
  }
  if (dto.status === 'redirected') set('redirected_to_structure_id', redirectToStructureId);
  if (dto.status === 'in_charge') {
    set('in_charge_kind', dto.inChargeKind);
    params.push(dto.inChargeAt ?? null);
    sets.push(`in_charge_at = coalesce($${params.length}::timestamptz, now())`);
  }
  if (dto.status === 'closed') {
    sets.push('closed_at = now()');
    set('outcome', dto.outcome);
    set('broken_link', dto.brokenLink ?? null);
  }
  if (dto.status === 'cancelled') sets.push('cancelled_at = now()');
  if (dto.comment) set('status_comment', dto.comment);
  return { sql: `UPDATE referral SET ${sets.join(', ')} WHERE id = $1`, params };
}
