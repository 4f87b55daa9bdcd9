import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@passerelle/contracts';

/** A user's role in a structure (structure is null only for platform_admin). */
@Entity('membership')
export class MembershipEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ name: 'structure_id', type: 'uuid', nullable: true }) structureId!: string | null;
  @Column({ type: 'varchar', length: 32 }) role!: Role;
  /** May open a file without consent for a legal reason (danger, legal obligation): granted by the structure admin. */
  @Column({ name: 'may_override_consent', type: 'boolean', default: false }) mayOverrideConsent!: boolean;
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true }) deactivatedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
