import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONTINUITY_ALERT_KINDS,
  CONTINUITY_THRESHOLD_MAX_DAYS,
  CONTINUITY_THRESHOLD_MIN_DAYS,
  type AcknowledgeContinuityAlertRequest,
  type ContinuityAlert,
  type ContinuityAlertKind,
  type ContinuityAlertPage,
  type ContinuityAlertQuery,
  type ContinuitySummary,
  type ContinuityThresholds,
  parseTerritoryCode,
  type NeedBouquetCode,
  type Role,
  type TerritoryCode,
  type UpdateContinuityThresholdsRequest,
} from '@passerelle/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { DomainError, forbidden } from '../common/errors/domain-error';
import { personDisplayName } from '../contacts/contact-rules';
import { PERSON_ROLES, PersonAccessService } from '../persons/person-access.service';
import { describeError } from '../retention/retention-report';
import { ContinuityClock } from './continuity-clock';
import {
  ageDays,
  cutoffsAt,
  formatAlertKey,
  mergeThresholds,
  parseAlertKey,
  zeroCounts,
  type AlertKey,
} from './continuity-rules';
import {
  countAlerts,
  findAlerts,
  findThresholdRows,
  saveThresholds,
  upsertAcknowledgement,
  writeJournal,
  type AlertRow,
  type AlertScope,
  type AlertState,
  type JournalCounts,
  type PersonConditions,
} from './continuity.repository';
import { CONTINUITY_PAGE_MAX, CONTINUITY_PAGE_SIZE, M as DTO_MESSAGES } from './dto/continuity.dto';

/** Who reads the alerts: the structures' agents (their structure's alerts, the person within the access policy) and coordinators (all, no person). */
export const CONTINUITY_ROLES: Role[] = [...PERSON_ROLES, 'coordinator'];

const M = {
  notFound:
    'Alerte introuvable : le délai a peut-être été rattrapé (orientation traitée, nouveau contact, référent désigné…), ou elle ne concerne pas votre structure.',
  ownStructure: 'Vous voyez les alertes de votre structure seulement : le filtre par structure est réservé aux coordinateurs.',
  coordinatorOnly: 'Seuls les coordinateurs territoriaux règlent les délais des alertes.',
};

/**
 * Who is reading: a structure's agent sees the alerts its structure must act on, with the person as
 * far as the access policy allows; a coordinator (the chef de file) sees every alert of the tenant,
 * never who it is about. Anyone else (platform admins): nothing.
 */
type Viewer = { role: 'structure'; structureId: string } | { role: 'coordinator' };

function viewerOf(auth: AuthContext): Viewer {
  if (auth.role === 'coordinator') return { role: 'coordinator' };
  if (PERSON_ROLES.includes(auth.role) && auth.structureId) return { role: 'structure', structureId: auth.structureId };
  throw forbidden();
}

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, [{ field, messages: [message] }]);

/** The audit's entity for an alert's subject. */
const SUBJECT_TYPE: Record<ContinuityAlertKind, 'referral' | 'request' | 'person'> = {
  referral_unanswered: 'referral',
  referral_not_in_charge: 'referral',
  referral_failed_no_followup: 'referral',
  request_without_referent: 'person',
  accompaniment_lost_contact: 'person',
  request_without_contact: 'request',
};

export interface TenantJournalReport extends JournalCounts {
  tenantId: string;
  error?: string;
}

export interface JournalReport {
  now: string;
  tenants: TenantJournalReport[];
}

/**
 * Continuity of parcours (issue 6, "ruptures de parcours"; docs/continuity.md, decisions 0014 and
 * 0016): the alerts are the data's open gaps — an orientation unanswered, a person without référent,
 * a person lost from view… kept by triggers in `continuity_gap` — older than the tenant's delay, so
 * that one disappears as soon as its gap closes. The journal (`continuity_alert`) only records their
 * history and acknowledgements.
 * What a structure sees of the person is the access policy's (PersonAccessService), never decided here.
 */
@Injectable()
export class ContinuityService {
  private readonly logger = new Logger('ContinuityJournal');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
    private readonly clock: ContinuityClock,
  ) {}

  /** The tenant's delays, the defaults for the kinds it has not set. */
  async thresholds(auth: AuthContext): Promise<ContinuityThresholds> {
    viewerOf(auth);
    return this.loadThresholds(this.dataSource.manager, auth.tenantId);
  }

  /** Sets every kind's delay (coordinators), in one transaction. Audited. */
  async updateThresholds(auth: AuthContext, dto: UpdateContinuityThresholdsRequest): Promise<ContinuityThresholds> {
    if (auth.role !== 'coordinator') throw forbidden(M.coordinatorOnly);
    const thresholds = {} as ContinuityThresholds;
    for (const kind of CONTINUITY_ALERT_KINDS) {
      const days = dto.thresholds?.[kind];
      if (!Number.isInteger(days) || days < CONTINUITY_THRESHOLD_MIN_DAYS || days > CONTINUITY_THRESHOLD_MAX_DAYS) {
        throw invalid(`thresholds.${kind}`, DTO_MESSAGES.days);
      }
      thresholds[kind] = days;
    }
    return this.dataSource.transaction(async (manager) => {
      await saveThresholds(manager, auth.tenantId, auth.userId, thresholds);
      await this.audit.record(auth, { action: 'continuity.thresholds.update', entityType: 'tenant', entityId: auth.tenantId }, manager);
      return this.loadThresholds(manager, auth.tenantId);
    });
  }

  /**
   * The current alerts in the caller's scope, oldest gap first, with their total. A structure's list
   * names persons: it is audited like the orientations inbox (one row, the structure, how many persons
   * were shown; never who).
   */
  async list(auth: AuthContext, query: ContinuityAlertQuery, now: Date = this.clock.now()): Promise<ContinuityAlertPage> {
    const viewer = viewerOf(auth);
    const manager = this.dataSource.manager;
    const limit = Math.min(Math.max(query.limit ?? CONTINUITY_PAGE_SIZE, 1), CONTINUITY_PAGE_MAX);
    const offset = Math.max(query.offset ?? 0, 0);
    const { scope, thresholds } = await this.scopeFor(manager, auth, viewer, query, now);
    const state: AlertState = query.state ?? 'open';
    const { total, rows } = await findAlerts(manager, scope, { state, limit, offset }, this.personConditions(auth, viewer));
    const items = rows.map((row) => toAlert(row, { auth, viewer, thresholds, now }));
    await this.audit.record(
      auth,
      viewer.role === 'structure'
        ? { action: 'continuity.alerts.read', entityType: 'structure', entityId: viewer.structureId, reason: `persons:${items.filter((i) => i.person).length}` }
        : { action: 'continuity.alerts.read', entityType: 'tenant', entityId: auth.tenantId, reason: 'coordinator' },
    );
    return { items, total, limit, offset };
  }

  /** One current alert of the caller's scope, by its key (400 for a malformed key; 404 once its gap closed, or out of scope). Audited. */
  async get(auth: AuthContext, rawKey: string, now: Date = this.clock.now()): Promise<ContinuityAlert> {
    const viewer = viewerOf(auth);
    const key = parseKey(rawKey);
    const alert = await this.findOne(this.dataSource.manager, auth, viewer, key, now);
    await this.audit.record(
      auth,
      alert.person
        ? { action: 'continuity.alert.read', entityType: 'person', entityId: alert.person.id, reason: alert.kind }
        : { action: 'continuity.alert.read', entityType: SUBJECT_TYPE[alert.kind], entityId: alert.subjectId, reason: alert.kind },
    );
    return alert;
  }

  /**
   * "Vu, on s'en occupe": by an agent of the structure that must act, or a coordinator, on an alert
   * that is current (404 otherwise). Creates the journal row if the journal has not seen the alert yet.
   * Again: the first acknowledgement's date stays, a given comment replaces the previous one. Audited.
   */
  async acknowledge(auth: AuthContext, dto: AcknowledgeContinuityAlertRequest, now: Date = this.clock.now()): Promise<ContinuityAlert> {
    const viewer = viewerOf(auth);
    const key = parseKey(dto.key);
    return this.dataSource.transaction(async (manager) => {
      const { row } = await this.findOneRow(manager, auth, viewer, key, now);
      const id = await upsertAcknowledgement(manager, {
        tenantId: auth.tenantId,
        alert: row,
        userId: auth.userId,
        structureId: auth.structureId,
        comment: dto.comment === undefined ? undefined : (dto.comment?.trim() || null),
        now,
      });
      await this.audit.record(auth, { action: 'continuity.alert.acknowledge', entityType: 'continuity_alert', entityId: id, reason: key.kind }, manager);
      return this.findOne(manager, auth, viewer, key, now);
    });
  }

  /** Counts of the current alerts, by structure that must act and in all: the tenant's (coordinators), or the caller's structure's. */
  async summary(auth: AuthContext, query: { territory?: string }, now: Date = this.clock.now()): Promise<ContinuitySummary> {
    const viewer = viewerOf(auth);
    const manager = this.dataSource.manager;
    const { scope, thresholds } = await this.scopeFor(manager, auth, viewer, { territory: query.territory }, now);
    const rows = await countAlerts(manager, scope);
    const totals = zeroCounts();
    let acknowledged = 0;
    const byStructure = new Map<string, ContinuitySummary['byStructure'][number]>();
    for (const row of rows) {
      totals[row.kind] += row.n;
      acknowledged += row.acknowledged;
      let entry = byStructure.get(row.structure_id);
      if (!entry) {
        entry = {
          structure: { id: row.structure_id, name: row.structure_name, communeInsee: row.commune_insee, epciCode: row.epci_code },
          counts: zeroCounts(),
          total: 0,
        };
        byStructure.set(row.structure_id, entry);
      }
      entry.counts[row.kind] += row.n;
      entry.total += row.n;
    }
    return {
      generatedAt: now.toISOString(),
      thresholds,
      totals,
      acknowledged,
      byStructure: [...byStructure.values()].sort((a, b) => b.total - a.total || a.structure.name.localeCompare(b.structure.name, 'fr')),
    };
  }

  /**
   * The journal of one tenant at `now`: the current alerts not journaled yet are inserted (first seen
   * now), the rows of alerts no longer current are closed (now), acknowledged or not. Idempotent.
   */
  async recordJournal(tenantId: string, now: Date): Promise<TenantJournalReport> {
    const thresholds = await this.loadThresholds(this.dataSource.manager, tenantId);
    const scope: AlertScope = { tenantId, kinds: CONTINUITY_ALERT_KINDS, cutoffs: cutoffsAt(now, thresholds) };
    const counts = await writeJournal(this.dataSource.manager, scope, now);
    return { tenantId, ...counts };
  }

  /** The journal of every tenant (the job); one tenant failing does not stop the others, the run fails at the end. */
  async runJournal(now: Date): Promise<JournalReport> {
    const tenants: { id: string }[] = await this.dataSource.query(`SELECT id FROM tenant ORDER BY code`);
    const report: JournalReport = { now: now.toISOString(), tenants: [] };
    const failures: string[] = [];
    for (const { id } of tenants) {
      try {
        report.tenants.push(await this.recordJournal(id, now));
      } catch (error) {
        const description = describeError(error);
        this.logger.error(`Continuity journal failed for tenant ${id}: ${description}`);
        report.tenants.push({ tenantId: id, opened: 0, updated: 0, closed: 0, error: description });
        failures.push(`${id}: ${description}`);
      }
    }
    if (failures.length > 0) throw new Error(`Continuity journal failed for ${failures.length} tenant(s): ${failures.join('; ')}`);
    return report;
  }

  private async loadThresholds(manager: EntityManager, tenantId: string): Promise<ContinuityThresholds> {
    return mergeThresholds(await findThresholdRows(manager, tenantId));
  }

  /** The alerts the caller may read, narrowed by the query's filters (never widened). */
  private async scopeFor(
    manager: EntityManager,
    auth: AuthContext,
    viewer: Viewer,
    query: Pick<ContinuityAlertQuery, 'kind' | 'structureId' | 'territory'>,
    now: Date,
  ): Promise<{ scope: AlertScope; thresholds: ContinuityThresholds }> {
    if (query.kind && !CONTINUITY_ALERT_KINDS.includes(query.kind)) throw invalid('kind', DTO_MESSAGES.kind);
    const thresholds = await this.loadThresholds(manager, auth.tenantId);
    const scope: AlertScope = { tenantId: auth.tenantId, kinds: query.kind ? [query.kind] : CONTINUITY_ALERT_KINDS, cutoffs: cutoffsAt(now, thresholds) };
    if (viewer.role === 'structure') {
      if (query.structureId && query.structureId !== viewer.structureId) throw forbidden(M.ownStructure);
      scope.structureId = viewer.structureId;
    } else if (query.structureId) {
      scope.structureId = query.structureId;
    }
    if (query.territory) scope.territory = territoryOf(query.territory);
    return { scope, thresholds };
  }

  private personConditions(auth: AuthContext, viewer: Viewer): PersonConditions | null {
    if (viewer.role !== 'structure') return null;
    return {
      accessible: (alias, firstParam) => this.access.accessibleSql(auth, alias, firstParam),
      visible: (alias, firstParam) => this.access.visibleSql(auth, alias, firstParam),
    };
  }

  private async findOneRow(
    manager: EntityManager,
    auth: AuthContext,
    viewer: Viewer,
    key: AlertKey,
    now: Date,
  ): Promise<{ row: AlertRow; thresholds: ContinuityThresholds }> {
    const { scope, thresholds } = await this.scopeFor(manager, auth, viewer, { kind: key.kind }, now);
    scope.subjectId = key.subjectId;
    const { rows } = await findAlerts(manager, scope, { state: 'all', limit: 1, offset: 0, gapSince: key.gapSince }, this.personConditions(auth, viewer));
    if (!rows[0]) throw new DomainError('NOT_FOUND', M.notFound);
    return { row: rows[0], thresholds };
  }

  private async findOne(manager: EntityManager, auth: AuthContext, viewer: Viewer, key: AlertKey, now: Date): Promise<ContinuityAlert> {
    const { row, thresholds } = await this.findOneRow(manager, auth, viewer, key, now);
    return toAlert(row, { auth, viewer, thresholds, now });
  }
}

function parseKey(raw: unknown): AlertKey {
  const key = parseAlertKey(raw);
  if (!key) throw invalid('key', DTO_MESSAGES.key);
  return key;
}

function territoryOf(value: string): TerritoryCode {
  const territory = parseTerritoryCode(value);
  if (!territory) throw invalid('territory', DTO_MESSAGES.territory);
  return territory;
}

/**
 * The alert as the caller may see it. Coordinators: no `person` key at all, and no free text about
 * the person — the acknowledgement's comment (written by the structure that must act, who sees the
 * person) only when they wrote it themselves. A structure's agent: the person when the policy lets
 * them see something of them, the name when it lets them see it.
 */
function toAlert(row: AlertRow, ctx: { auth: AuthContext; viewer: Viewer; thresholds: ContinuityThresholds; now: Date }): ContinuityAlert {
  const gapSince = new Date(row.gap_since);
  const commentShown = ctx.viewer.role === 'structure' || row.ack_user_id === ctx.auth.userId;
  const alert: ContinuityAlert = {
    key: formatAlertKey({ kind: row.kind, subjectId: row.subject_id, gapSince }),
    kind: row.kind,
    subjectId: row.subject_id,
    referralId: row.referral_id,
    requestId: row.request_id,
    gapSince: gapSince.toISOString(),
    ageDays: ageDays(gapSince, ctx.now),
    thresholdDays: ctx.thresholds[row.kind],
    bouquet: row.bouquet === null ? null : (row.bouquet as NeedBouquetCode),
    structure: { id: row.structure_id, name: row.structure_name },
    counterpart: row.counterpart_id && row.counterpart_name !== null ? { id: row.counterpart_id, name: row.counterpart_name } : null,
    acknowledgement: row.acknowledged_at
      ? {
          at: new Date(row.acknowledged_at).toISOString(),
          userName: row.ack_user_name,
          structureName: row.ack_structure_name,
          comment: commentShown ? row.ack_comment : null,
        }
      : null,
  };
  if (ctx.viewer.role === 'structure' && row.person_shown) {
    const [usageLastName, birthLastName, firstNames] = row.names ?? [null, null, null];
    alert.person = { id: row.person_id, name: row.names ? personDisplayName({ usageLastName, birthLastName, firstNames }) : null };
  }
  return alert;
}
