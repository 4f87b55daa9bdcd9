import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import { AuditEventEntity, type AuditOutcome } from './audit-event.entity';

/** Who acted: an AuthContext, or the partial actor of an unauthenticated request (e.g. a failed login). */
export type AuditActor = Partial<Pick<AuthContext, 'tenantId' | 'userId' | 'structureId' | 'role' | 'ip' | 'requestId'>>;

export interface AuditRecord {
  action: string;
  outcome?: AuditOutcome;
  entityType?: string;
  entityId?: string;
  /** A short code (never free text or personal data), e.g. "bad_password". */
  reason?: string;
  /** For the structure admin's review (exceptional access). */
  flagged?: boolean;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends one audit row; pass the transaction's manager so the row commits with the change. */
  async record(actor: AuditActor, record: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(AuditEventEntity, {
      tenantId: actor.tenantId ?? null,
      userId: actor.userId ?? null,
      structureId: actor.structureId ?? null,
      role: actor.role ?? null,
      ip: actor.ip ?? null,
      requestId: actor.requestId ?? null,
      action: record.action,
      outcome: record.outcome ?? 'success',
      entityType: record.entityType ?? null,
      entityId: record.entityId ?? null,
      reason: record.reason?.slice(0, 64) ?? null,
      flagged: record.flagged ?? false,
    });
  }
}
