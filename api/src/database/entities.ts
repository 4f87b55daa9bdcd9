// Every TypeORM entity, listed as classes (the API is bundled by webpack, so no globs).
import { AuditEventEntity } from '../audit/audit-event.entity';
import { UserSessionEntity } from '../auth/user-session.entity';
import { ContactNeedEntity } from '../contacts/contact-need.entity';
import { ContactEntity } from '../contacts/contact.entity';
import { PersonFollowEntity } from '../persons/person-follow.entity';
import { PersonEntity } from '../persons/person.entity';
import { RequestContactEntity } from '../requests/request-contact.entity';
import { RequestEntity } from '../requests/request.entity';
import { SiteEntity } from '../structures/site.entity';
import { StructureEntity } from '../structures/structure.entity';
import { CommuneEntity } from '../territory/commune.entity';
import { TenantEntity } from '../territory/tenant.entity';
import { MembershipEntity } from '../users/membership.entity';
import { UserEntity } from '../users/user.entity';

export const entities = [
  TenantEntity,
  CommuneEntity,
  StructureEntity,
  SiteEntity,
  UserEntity,
  MembershipEntity,
  UserSessionEntity,
  AuditEventEntity,
  PersonEntity,
  PersonFollowEntity,
  ContactEntity,
  ContactNeedEntity,
  RequestEntity,
  RequestContactEntity,
];
