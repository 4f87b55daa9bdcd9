import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * One line of the append-only audit trail: who, what, when, from where — never personal data
 * (ids and codes only). The database refuses UPDATE, DELETE and TRUNCATE on this table.
 */
@Entity('audit_event')
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true }) tenantId!: string | null;
  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' }) occurredAt!: Date;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ name: 'structure_id', type: 'uuid', nullable: true }) structureId!: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) role!: string | null;
  @Column({ type: 'varchar', length: 64 }) action!: string;
  @Column({ name: 'entity_type', type: 'varchar', length: 64, nullable: true }) entityType!: string | null;
  @Column({ name: 'entity_id', type: 'varchar', length: 64, nullable: true }) entityId!: string | null;
  @Column({ type: 'varchar', length: 16 }) outcome!: AuditOutcome;
  @Column({ type: 'varchar', length: 64, nullable: true }) reason!: string | null;
  @Column({ type: 'inet', nullable: true }) ip!: string | null;
  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true }) requestId!: string | null;
  /** An exceptional access (override), for the structure admin's review; set when written. */
  @Column({ type: 'boolean', default: false }) flagged!: boolean;
}
