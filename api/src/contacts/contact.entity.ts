import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ContactAnswer, ContactChannel } from '@passerelle/contracts';

/** One contact (passage) with a person — or anonymous, information-only (person_id null). */
@Entity('contact')
export class ContactEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  /** Client-generated idempotency key: retrying a create returns the same contact. */
  @Column({ name: 'client_request_id', type: 'uuid' }) clientRequestId!: string;
  @Column({ name: 'person_id', type: 'uuid', nullable: true }) personId!: string | null;
  @Column({ name: 'structure_id', type: 'uuid' }) structureId!: string;
  @Column({ name: 'site_id', type: 'uuid', nullable: true }) siteId!: string | null;
  @Column({ name: 'agent_user_id', type: 'uuid' }) agentUserId!: string;
  @Column({ type: 'varchar', length: 16 }) channel!: ContactChannel;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'duration_minutes', type: 'smallint', nullable: true }) durationMinutes!: number | null;
  @Column({ type: 'varchar', length: 20 }) answer!: ContactAnswer;
  @Column({ type: 'text', nullable: true }) summary!: string | null;
  /** Visible only to agents of the author's structure. */
  @Column({ name: 'private_note', type: 'text', nullable: true }) privateNote!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
