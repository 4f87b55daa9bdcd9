import { Column, Entity, PrimaryColumn } from 'typeorm';

export type FollowReason = 'created' | 'contact' | 'merge' | 'referral' | 'handoff';

/** A structure that follows a person: it sees the person's file. */
@Entity('person_follow')
export class PersonFollowEntity {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' }) personId!: string;
  @PrimaryColumn({ name: 'structure_id', type: 'uuid' }) structureId!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) since!: Date;
  @Column({ type: 'varchar', length: 16 }) reason!: FollowReason;
}
