import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SiteKind } from '@passerelle/contracts';

/** A reception site of a structure: a fixed place or an itinerant permanence with a recurrence. */
@Entity('site')
export class SiteEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ name: 'structure_id', type: 'uuid' }) structureId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: SiteKind;
  @Column({ type: 'text', nullable: true }) address!: string | null;
  @Column({ name: 'commune_insee', type: 'varchar', length: 5 }) communeInsee!: string;
  @Column({ name: 'opening_hours', type: 'text', nullable: true }) openingHours!: string | null;
  @Column({ type: 'text', nullable: true }) recurrence!: string | null;
  @Column({ name: 'recurrence_label', type: 'text', nullable: true }) recurrenceLabel!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
