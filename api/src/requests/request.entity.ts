import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RequestStatus } from '@passerelle/contracts';

/** A request (demande): a need followed over time. Status transitions are enforced by a trigger. */
@Entity('request')
export class RequestEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'person_id', type: 'uuid' }) personId!: string;
  @Column({ name: 'structure_id', type: 'uuid' }) structureId!: string;
  @Column({ type: 'smallint' }) bouquet!: number;
  @Column({ name: 'sub_need', type: 'text', nullable: true }) subNeed!: string | null;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'varchar', length: 16, default: 'open' }) status!: RequestStatus;
  @Column({ name: 'closed_reason', type: 'text', nullable: true }) closedReason!: string | null;
  @Column({ name: 'opened_at', type: 'timestamptz', default: () => 'now()' }) openedAt!: Date;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ name: 'opened_by_user_id', type: 'uuid', nullable: true }) openedByUserId!: string | null;
  @Column({ name: 'status_changed_by_user_id', type: 'uuid', nullable: true }) statusChangedByUserId!: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
