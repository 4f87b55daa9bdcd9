import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A contact that touched a request. */
@Entity('request_contact')
export class RequestContactEntity {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' }) requestId!: string;
  @PrimaryColumn({ name: 'contact_id', type: 'uuid' }) contactId!: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
}
