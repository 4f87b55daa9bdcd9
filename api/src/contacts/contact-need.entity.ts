import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A need expressed during a contact: one of the 18 bouquets, with an optional sub-need and detail. */
@Entity('contact_need')
export class ContactNeedEntity {
  @PrimaryColumn({ name: 'contact_id', type: 'uuid' }) contactId!: string;
  @PrimaryColumn({ type: 'smallint' }) position!: number;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ type: 'smallint' }) bouquet!: number;
  @Column({ name: 'sub_need', type: 'text', nullable: true }) subNeed!: string | null;
  @Column({ type: 'text', nullable: true }) detail!: string | null;
}
