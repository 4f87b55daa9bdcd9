import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CaseloadEntry, PersonReferents, Professional, ReferentEndReason } from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden } from '../common/errors/domain-error';
import { PersonAccessService } from '../persons/person-access.service';
import type { DesignateReferentDto, EndReferentDto, ProfessionalsQueryDto } from './dto/referents.dto';
import { referentsShared, translateConstraintError } from './referent-rules';
import { endReferent, findCaseload, findProfessionals, findReferents, insertReferent, lockActiveReferent, type NewReferent } from './referents.repository';

export const PROFESSIONALS_LIMIT_DEFAULT = 50;

const M = {
  notProfessional:
    'Ce professionnel ne peut pas devenir référent : choisissez un professionnel en activité (accueil, travail social, administration) d’une structure qui suit la personne.',
  severalStructures: 'Ce professionnel travaille pour plusieurs structures qui suivent la personne : précisez pour laquelle il devient référent.',
  alreadyReferent: 'Ce professionnel est déjà le référent de la personne.',
  noActive: 'La personne n’a pas de référent en cours.',
  notReferentStructure: 'Seule la structure du référent peut mettre fin à son accompagnement.',
};

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);

/** What a designation writes, from the referent route or from an accepted handoff. */
export type Designation = NewReferent & {
  /** How the previous référent's term ends: 'replaced' by a designation, 'handoff' by an accepted handoff. */
  previousEndsWith: Extract<ReferentEndReason, 'replaced' | 'handoff'>;
};

/**
 * The référent de parcours (decision 0012): one active per person (partial unique index
 * referent_one_active_uq), designated by a structure that follows the person, with the seeds' criteria;
 * the history is kept. Who sees it is the person's access policy (PersonAccessService) plus one rule:
 * a structure that sees the file only by consent sees the référents when identity is shared with it
 * (referentsShared). Also the professionals' picker and the référent's caseload.
 */
@Injectable()
export class ReferentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
  ) {}

  /** The current référent and the past ones (404 unless the caller may see the person). Audited. */
  async list(auth: AuthContext, personId: string): Promise<PersonReferents> {
    return this.dataSource.transaction(async (manager) => {
      const access = await this.access.assertCanSee(auth, personId, manager);
      await this.audit.record(auth, { action: 'person.referents.read', entityType: 'person', entityId: personId, reason: access.reason }, manager);
      if (!referentsShared(access)) return { shared: false, current: null, history: [] };
      return this.load(manager, auth, personId);
    });
  }

  /**
   * Designates the référent; the previous one's term ends ('replaced') in the same transaction. The
   * person's active référent row is locked first, and the partial unique index refuses a second active
   * row whatever happens: a concurrent designation is answered 409, never two référents.
   */
  async designate(auth: AuthContext, personId: string, dto: DesignateReferentDto): Promise<PersonReferents> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.access.assertFollows(auth, personId, manager);
        await this.access.assertNotAnonymized(personId, manager);
        const professional = await this.resolveProfessional(manager, auth, personId, dto.userId, dto.structureId ?? null);
        const id = await this.designateWithin(manager, {
          tenantId: auth.tenantId,
          personId,
          userId: professional.userId,
          structureId: professional.structureId,
          criteria: dto.criteria,
          chosenWithPerson: dto.chosenWithPerson,
          criteriaNote: dto.criteriaNote ?? null,
          designatedByUserId: auth.userId,
          handoffId: null,
          previousEndsWith: 'replaced',
        });
        await this.audit.record(auth, { action: 'referent.designate', entityType: 'person', entityId: personId, reason: id }, manager);
        this.afterReferentDesignated(manager, { tenantId: auth.tenantId, personId, referentId: id, userId: professional.userId });
        return this.load(manager, auth, personId);
      });
    } catch (error) {
      return translateConstraintError(error);
    }
  }

  /** Ends the active référent's term, by the référent's structure. Audited with the reason's code. */
  async end(auth: AuthContext, personId: string, dto: EndReferentDto): Promise<PersonReferents> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.assertFollows(auth, personId, manager);
      const active = await lockActiveReferent(manager, personId);
      if (!active) throw new DomainError('CONFLICT', M.noActive);
      if (active.structureId !== auth.structureId) throw forbidden(M.notReferentStructure);
      await endReferent(manager, active.id, auth.userId, dto.reason);
      await this.audit.record(auth, { action: 'referent.end', entityType: 'person', entityId: personId, reason: dto.reason }, manager);
      return this.load(manager, auth, personId);
    });
  }

  /**
   * The designation itself, inside the caller's transaction (the referent route, or an accepted
   * handoff): locks the active row, ends it, inserts the new one. The caller has checked who may
   * designate whom. Returns the new référent's id; 409 if this professional already is the référent.
   */
  async designateWithin(manager: EntityManager, d: Designation): Promise<string> {
    const active = await lockActiveReferent(manager, d.personId);
    if (active && active.userId === d.userId && active.structureId === d.structureId) throw new DomainError('CONFLICT', M.alreadyReferent);
    if (active) await endReferent(manager, active.id, d.designatedByUserId, d.previousEndsWith);
    return insertReferent(manager, d);
  }

  /** The person's active référent user, if any (for the handoff answer: already référent, nothing to do). */
  async activeReferent(manager: EntityManager, personId: string): Promise<{ id: string; userId: string; structureId: string } | null> {
    const rows: { id: string; user_id: string; structure_id: string }[] = await manager.query(
      `SELECT id, user_id, structure_id FROM referent WHERE person_id = $1 AND ended_at IS NULL`,
      [personId],
    );
    return rows[0] ? { id: rows[0].id, userId: rows[0].user_id, structureId: rows[0].structure_id } : null;
  }

  /**
   * Active professionals of the tenant for the pickers: name, role, structure, nothing else. With
   * `personId`, only those of the structures that follow the person (the designation's candidates),
   * which needs the caller to see the person. Audited (no search text in the audit).
   */
  async professionals(auth: AuthContext, query: ProfessionalsQueryDto): Promise<Professional[]> {
    return this.dataSource.transaction(async (manager) => {
      if (query.personId) await this.access.assertFollows(auth, query.personId, manager);
      const words = (query.q ?? '').split(/\s+/).filter((w) => w.length > 0).slice(0, 5);
      const found = await findProfessionals(manager, auth.tenantId, {
        words,
        followingPersonId: query.personId,
        limit: query.limit ?? PROFESSIONALS_LIMIT_DEFAULT,
      });
      await this.audit.record(
        auth,
        query.personId
          ? { action: 'professionals.search', entityType: 'person', entityId: query.personId, reason: 'following' }
          : { action: 'professionals.search', entityType: 'membership', reason: words.length > 0 ? 'by_name' : 'all' },
        manager,
      );
      return found;
    });
  }

  /** The persons the caller is the active référent for, as a professional of their current structure. Audited. */
  async caseload(auth: AuthContext): Promise<CaseloadEntry[]> {
    const structureId = auth.structureId;
    if (!structureId) throw forbidden();
    return this.dataSource.transaction(async (manager) => {
      const entries = await findCaseload(manager, {
        tenantId: auth.tenantId,
        userId: auth.userId,
        structureId,
        visible: (alias, firstParam) => this.access.visibleSql(auth, alias, firstParam),
        visibleTo: this.access.recordVisibilityFor(auth),
      });
      await this.audit.record(auth, { action: 'caseload.read', entityType: 'referent', reason: `persons:${entries.length}` }, manager);
      return entries;
    });
  }

  /**
   * The one place where a designation is announced: notifications (another issue) plug in here. Nothing
   * personal goes out: the person's id and the référent row's id are enough to open them.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  private afterReferentDesignated(manager: EntityManager, event: { tenantId: string; personId: string; referentId: string; userId: string }): void {
    // Notifications plug in here (in the same transaction, with `manager`).
  }

  private async load(manager: EntityManager, auth: AuthContext, personId: string): Promise<PersonReferents> {
    const all = await findReferents(manager, auth.tenantId, personId, auth.structureId ?? '');
    const current = all[0] && !all[0].endedAt ? all[0] : null;
    return { shared: true, current, history: current ? all.slice(1) : all };
  }

  /** The professional to designate: active, of a structure that follows the person (400 otherwise). */
  private async resolveProfessional(
    manager: EntityManager,
    auth: AuthContext,
    personId: string,
    userId: string,
    structureId: string | null,
  ): Promise<Professional> {
    const candidates = await findProfessionals(manager, auth.tenantId, { userId, structureId: structureId ?? undefined, followingPersonId: personId, limit: 10 });
    if (candidates.length === 0) throw invalid(structureId ? 'structureId' : 'userId', M.notProfessional);
    if (candidates.length === 1) return candidates[0];
    const own = candidates.find((c) => c.structureId === auth.structureId);
    if (own) return own;
    throw invalid('structureId', M.severalStructures);
  }
}
