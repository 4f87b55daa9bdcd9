import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A commune of the tenant's département, loaded from @etalab/decoupage-administratif. */
@Entity('commune')
export class CommuneEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' }) tenantId!: string;
  @PrimaryColumn({ name: 'insee_code', type: 'varchar', length: 5 }) inseeCode!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'postal_codes', type: 'text', array: true }) postalCodes!: string[];
  @Column({ name: 'epci_code', type: 'varchar', length: 9, nullable: true }) epciCode!: string | null;
  @Column({ type: 'integer', nullable: true }) population!: number | null;
}
