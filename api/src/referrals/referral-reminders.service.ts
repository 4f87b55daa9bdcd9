import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { senderOf } from '../notifications/notification-events';
import { NotificationsService } from '../notifications/notifications.service';
import { describeError } from '../retention/retention-report';

/** Orientations flagged per transaction. */
export const REFERRAL_REMINDERS_BATCH_SIZE = 200;

export interface TenantRemindersReport {
  tenantId: string;
  reminderDays: number;
  expiryDays: number;
  reminded: number;
  expired: number;
  error?: string;
}

export interface RemindersReport {
  now: string;
  tenants: TenantRemindersReport[];
}

interface TenantDelays {
  id: string;
  referral_reminder_days: number;
  referral_expiry_days: number;
}

interface Flagged {
  id: string;
  from_structure_id: string;
  from_user_id: string | null;
  to_structure_id: string;
}

/**
 * Reminders and expiry of unanswered orientations (status sent or received), run daily by the job
 * queue (ReferralRemindersJob) with the clock as a parameter, per tenant with its own delays:
 * - sent `referral_reminder_days` ago or more (default 10), not reminded, not expired → `reminded_at`,
 *   a 'reminded' event, and the receiving structure's agents notified (referral_reminder);
 * - sent `referral_expiry_days` ago or more (default 30), not expired → `expired_at`, an 'expired'
 *   event, the receiving structure and the sender notified (referral_expired). An orientation found
 *   already past expiry is expired, not reminded first.
 * Expiry is a flag, not a status: the loop is still open and the receiver may still answer.
 * An answered (or cancelled) orientation is never flagged: it is no longer sent/received. Each
 * orientation is flagged once (its date is the proof), so running again changes nothing.
 * Batches of REFERRAL_REMINDERS_BATCH_SIZE, one transaction each, locked FOR UPDATE SKIP LOCKED: an
 * orientation being answered right now is left alone, and seen (or not, once answered) next time.
 */
@Injectable()
export class ReferralRemindersService {
  private readonly logger = new Logger('ReferralReminders');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  async run(now: Date, options: { batchSize?: number } = {}): Promise<RemindersReport> {
    const batchSize = options.batchSize ?? REFERRAL_REMINDERS_BATCH_SIZE;
    const tenants: TenantDelays[] = await this.dataSource.query(
      `SELECT id, referral_reminder_days, referral_expiry_days FROM tenant ORDER BY code`,
    );
    const report: RemindersReport = { now: now.toISOString(), tenants: [] };
    const failures: string[] = [];
    // One tenant failing does not stop the others; the run fails at the end (the job is retried).
    for (const tenant of tenants) {
      const result = await this.runTenant(tenant, now, batchSize);
      report.tenants.push(result);
      if (result.error) failures.push(`${tenant.id}: ${result.error}`);
    }
    if (failures.length > 0) throw new Error(`Referral reminders failed for ${failures.length} tenant(s): ${failures.join('; ')}`);
    return report;
  }

  private async runTenant(tenant: TenantDelays, now: Date, batchSize: number): Promise<TenantRemindersReport> {
    const result: TenantRemindersReport = {
      tenantId: tenant.id,
      reminderDays: tenant.referral_reminder_days,
      expiryDays: tenant.referral_expiry_days,
      reminded: 0,
      expired: 0,
    };
    try {
      // Expiry first: an orientation already past expiry gets no belated reminder.
      result.expired = await this.inBatches(batchSize, (manager) => this.expireBatch(manager, tenant, now, batchSize));
      result.reminded = await this.inBatches(batchSize, (manager) => this.remindBatch(manager, tenant, now, batchSize));
    } catch (error) {
      result.error = describeError(error);
      this.logger.error(`Referral reminders failed for tenant ${tenant.id}: ${result.error}`);
    }
    if (result.error || result.reminded + result.expired > 0) {
      await this.audit.record(
        { tenantId: tenant.id },
        {
          action: 'referral.reminders.run',
          outcome: result.error ? 'failure' : 'success',
          entityType: 'tenant',
          entityId: tenant.id,
          reason: `reminded:${result.reminded};expired:${result.expired}${result.error ? ';error' : ''}`,
        },
      );
    }
    return result;
  }

  /** Runs `batch` in its own transaction until it flags fewer than a batch; returns the total. */
  private async inBatches(batchSize: number, batch: (manager: EntityManager) => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const flagged = await this.dataSource.transaction(batch);
      total += flagged;
      if (flagged < batchSize) return total;
    }
  }

  private async expireBatch(manager: EntityManager, tenant: TenantDelays, now: Date, limit: number): Promise<number> {
    const flagged = await flag(manager, 'expired_at', 'expired', { tenantId: tenant.id, now, days: tenant.referral_expiry_days, limit });
    for (const referral of flagged) {
      const common = { tenantId: tenant.id, kind: 'referral_expired', entityType: 'referral', entityId: referral.id } as const;
      await this.notifications.notify(manager, { ...common, fromStructureId: referral.from_structure_id, to: { structureId: referral.to_structure_id } });
      await this.notifications.notify(manager, { ...common, fromStructureId: referral.to_structure_id, to: senderOf(referral) });
    }
    return flagged.length;
  }

  private async remindBatch(manager: EntityManager, tenant: TenantDelays, now: Date, limit: number): Promise<number> {
    const flagged = await flag(manager, 'reminded_at', 'reminded', { tenantId: tenant.id, now, days: tenant.referral_reminder_days, limit });
    for (const referral of flagged) {
      await this.notifications.notify(manager, {
        tenantId: tenant.id,
        kind: 'referral_reminder',
        entityType: 'referral',
        entityId: referral.id,
        fromStructureId: referral.from_structure_id,
        to: { structureId: referral.to_structure_id },
      });
    }
    return flagged.length;
  }
}

/**
 * Stamps `column` (at `now`) on the next unanswered orientations of the tenant sent `days` ago or
 * more and not flagged yet (nor expired), locked SKIP LOCKED, and appends their event.
 */
async function flag(
  manager: EntityManager,
  column: 'reminded_at' | 'expired_at',
  event: 'reminded' | 'expired',
  p: { tenantId: string; now: Date; days: number; limit: number },
): Promise<Flagged[]> {
  // WITH … SELECT: TypeORM answers a top-level UPDATE with [rows, count], not the rows.
  const flagged: Flagged[] = await manager.query(
    `WITH due AS (
       SELECT r.id FROM referral r
        WHERE r.tenant_id = $1 AND r.status IN ('sent','received') AND r.${column} IS NULL AND r.expired_at IS NULL
          AND r.sent_at <= $2::timestamptz - make_interval(days => $3::int)
        ORDER BY r.sent_at, r.id
        LIMIT $4
        FOR UPDATE SKIP LOCKED
     ), flagged AS (
       UPDATE referral r SET ${column} = $2 FROM due WHERE r.id = due.id
       RETURNING r.id, r.from_structure_id, r.from_user_id, r.to_structure_id
     )
     SELECT * FROM flagged ORDER BY id`,
    [p.tenantId, p.now, p.days, p.limit],
  );
  if (flagged.length > 0) {
    await manager.query(
      `INSERT INTO referral_event (tenant_id, referral_id, status, at) SELECT $1, id, $2, $3 FROM unnest($4::uuid[]) AS f(id)`,
      [p.tenantId, event, p.now, flagged.map((f) => f.id)],
    );
  }
  return flagged;
}
