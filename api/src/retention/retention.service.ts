import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PersonAnonymizer } from './person-anonymizer';
import { describeError, retentionAuditReason, type RetentionReport, type TenantRetentionReport } from './retention-report';

export { ANONYMIZED_NAME } from './person-anonymizer';
/** Files, contacts or audit rows handled per transaction. */
export const RETENTION_BATCH_SIZE = 500;

export interface RetentionRunOptions {
  batchSize?: number;
}

interface Cursor {
  createdAt: string;
  id: string;
}

interface TenantSettings {
  id: string;
  person_retention_months: number;
  audit_retention_months: number;
}

/**
 * The retention rules (docs/retention.md), run daily by the job queue (RetentionJob) with the clock
 * as a parameter:
 * - a file whose last contact — or creation, without contact — is older than the tenant's
 *   `person_retention_months` is anonymised by PersonAnonymizer (the same as an erasure at the
 *   person's request): identity cleared but for a placeholder name, every PersonDataEraser run (free
 *   text of contacts, needs, requests, override justifications; documents), `anonymized_at` set.
 *   Contacts, needs, requests keep their codes, statuses and dates, so statistics still count them.
 *   Files merged into it follow it; a file's activity includes the files merged into it.
 * - anonymous contacts (no person) past the same retention lose their free text;
 * - audit rows older than `audit_retention_months` are purged (rows without a tenant: 12 months).
 * One transaction per batch: a run stopped half-way leaves whole batches done, and the next run
 * resumes (a done file is no longer a candidate). Running again changes nothing more.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly anonymizer: PersonAnonymizer,
  ) {}

  /** Names of the erasers run on each anonymised file. */
  get eraserNames(): string[] {
    return this.anonymizer.eraserNames;
  }

  async run(now: Date, options: RetentionRunOptions = {}): Promise<RetentionReport> {
    const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
    const tenants: TenantSettings[] = await this.dataSource.query(
      `SELECT id, person_retention_months, audit_retention_months FROM tenant ORDER BY code`,
    );
    const report: RetentionReport = { now: now.toISOString(), tenants: [], auditEventsPurgedWithoutTenant: 0 };
    const failures: string[] = [];
    // One tenant failing does not stop the others; the run fails at the end (the job is retried).
    for (const tenant of tenants) {
      const result = await this.runTenant(tenant, now, batchSize);
      report.tenants.push(result);
      if (result.error) failures.push(`${tenant.id}: ${result.error}`);
    }
    try {
      report.auditEventsPurgedWithoutTenant = await this.purgeAudit(null, now, batchSize);
      await this.audit.record(
        {},
        { action: 'retention.run', reason: retentionAuditReason({ personsAnonymized: 0, anonymousContactsCleared: 0, auditEventsPurged: report.auditEventsPurgedWithoutTenant }) },
      );
    } catch (error) {
      failures.push(`no tenant: ${describeError(error)}`);
    }
    if (failures.length > 0) throw new Error(`Retention run failed for ${failures.length} part(s): ${failures.join('; ')}`);
    return report;
  }

  private async runTenant(tenant: TenantSettings, now: Date, batchSize: number): Promise<TenantRetentionReport> {
    const result: TenantRetentionReport = {
      tenantId: tenant.id,
      personRetentionMonths: tenant.person_retention_months,
      auditRetentionMonths: tenant.audit_retention_months,
      personsAnonymized: 0,
      erased: Object.fromEntries(this.eraserNames.map((name) => [name, 0])),
      anonymousContactsCleared: 0,
      auditEventsPurged: 0,
    };
    try {
      const [{ cutoff }]: { cutoff: Date }[] = await this.dataSource.query(
        `SELECT $1::timestamptz - make_interval(months => $2::int) AS cutoff`,
        [now, tenant.person_retention_months],
      );
      await this.anonymizePersons(tenant.id, cutoff, now, batchSize, result);
      result.anonymousContactsCleared = await this.clearAnonymousContacts(tenant.id, cutoff, batchSize);
      result.auditEventsPurged = await this.purgeAudit(tenant.id, now, batchSize);
    } catch (error) {
      result.error = describeError(error);
      this.logger.error(`Retention run failed for tenant ${tenant.id}: ${result.error}`);
    }
    await this.audit.record(
      { tenantId: tenant.id },
      {
        action: 'retention.run',
        outcome: result.error ? 'failure' : 'success',
        entityType: 'tenant',
        entityId: tenant.id,
        reason: retentionAuditReason({ ...result, failed: Boolean(result.error) }),
      },
    );
    return result;
  }

  /** Anonymises the files due, batch by batch (keyset on the candidates' creation date and id). */
  private async anonymizePersons(tenantId: string, cutoff: Date, now: Date, batchSize: number, result: TenantRetentionReport): Promise<void> {
    // Keyset cursor; created_at travels as text (a JS Date would drop its microseconds).
    let after: Cursor = { createdAt: '-infinity', id: '00000000-0000-0000-0000-000000000000' };
    for (;;) {
      // Counted once committed: a batch rolled back counts for nothing.
      const { due: batch, erased, anonymized } = await this.dataSource.transaction(async (manager) => {
        const due = await this.lockDueFiles(manager, tenantId, cutoff, after, batchSize);
        if (due.length === 0) return { due, erased: {}, anonymized: 0 };
        const done = await this.anonymizer.anonymize(manager, { tenantId, personIds: due.map((d) => d.id), now, cause: 'retention' });
        return { due, erased: done.erased, anonymized: done.personsAnonymized };
      });
      result.personsAnonymized += anonymized;
      for (const [name, n] of Object.entries(erased)) result.erased[name] += n;
      if (batch.length === 0) return;
      const last = batch[batch.length - 1];
      after = { createdAt: last.created_at, id: last.id };
      if (batch.length < batchSize) return;
    }
  }

  /**
   * The next files due, locked: not anonymised, not merged into another, created before the cutoff,
   * and with no contact since — counting the files merged into them (and into those, recursively).
   * SKIP LOCKED: a file being written by an agent right now is left to the next run.
   */
  private lockDueFiles(
    manager: EntityManager,
    tenantId: string,
    cutoff: Date,
    after: Cursor,
    limit: number,
  ): Promise<{ id: string; created_at: string }[]> {
    return manager.query(
      `SELECT p.id, p.created_at::text AS created_at
         FROM person p
        WHERE p.tenant_id = $1 AND p.anonymized_at IS NULL AND p.merged_into_id IS NULL
          AND p.created_at < $2
          AND (p.created_at, p.id) > ($3::timestamptz, $4::uuid)
          AND NOT EXISTS (
            WITH RECURSIVE file(id, created_at) AS (
              SELECT p.id, p.created_at
              UNION
              SELECT m.id, m.created_at FROM person m JOIN file f ON m.merged_into_id = f.id
            )
            SELECT 1 FROM file f WHERE f.created_at >= $2
            UNION ALL
            SELECT 1 FROM file f JOIN contact c ON c.person_id = f.id AND c.occurred_at >= $2
          )
        ORDER BY p.created_at, p.id
        LIMIT $5
        FOR UPDATE OF p SKIP LOCKED`,
      [tenantId, cutoff, after.createdAt, after.id, limit],
    );
  }

  /** Anonymous contacts (no person) older than the cutoff: summary, private note and needs' detail cleared. */
  private async clearAnonymousContacts(tenantId: string, cutoff: Date, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const cleared = await this.dataSource.transaction(async (manager) => {
        const rows: { n: number }[] = await manager.query(
          `WITH due AS (
             SELECT c.id FROM contact c
              WHERE c.tenant_id = $1 AND c.person_id IS NULL AND c.occurred_at < $2
                AND (c.summary IS NOT NULL OR c.private_note IS NOT NULL
                     OR EXISTS (SELECT 1 FROM contact_need n WHERE n.contact_id = c.id AND n.detail IS NOT NULL))
              ORDER BY c.occurred_at, c.id
              LIMIT $3
              FOR UPDATE OF c SKIP LOCKED
           ), texts AS (
             UPDATE contact SET summary = NULL, private_note = NULL WHERE id IN (SELECT id FROM due)
           ), details AS (
             UPDATE contact_need SET detail = NULL WHERE contact_id IN (SELECT id FROM due) AND detail IS NOT NULL
           )
           SELECT count(*)::int AS n FROM due`,
          [tenantId, cutoff, batchSize],
        );
        return rows[0]?.n ?? 0;
      });
      total += cleared;
      if (cleared < batchSize) return total;
    }
  }

  /**
   * Deletes the audit rows of a tenant (or without tenant) older than its retention, batch by batch.
   * The trigger on audit_event lets these DELETEs through only because the transaction declares the
   * purge, and only for rows past the retention by the database's clock: the cutoff never goes past
   * it either (`least(now, now())`), so a clock moved forward cannot purge recent rows.
   */
  private async purgeAudit(tenantId: string | null, now: Date, batchSize: number): Promise<number> {
    const scope = tenantId === null ? 'a.tenant_id IS NULL' : 'a.tenant_id = $3::uuid';
    let total = 0;
    for (;;) {
      const purged = await this.dataSource.transaction(async (manager) => {
        await manager.query(`SELECT set_config('passerelle.audit_purge', 'on', true)`);
        const rows: { n: number }[] = await manager.query(
          `WITH purged AS (
             DELETE FROM audit_event WHERE id IN (
               SELECT a.id FROM audit_event a
                WHERE ${scope}
                  AND a.occurred_at < least($1::timestamptz, now()) - make_interval(months => audit_retention_months($3::uuid))
                LIMIT $2)
             RETURNING 1
           )
           SELECT count(*)::int AS n FROM purged`,
          [now, batchSize, tenantId],
        );
        return rows[0]?.n ?? 0;
      });
      total += purged;
      if (purged < batchSize) return total;
    }
  }
}
