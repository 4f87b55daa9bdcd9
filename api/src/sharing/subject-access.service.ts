import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SubjectAccessExport } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { findContacts } from '../contacts/contacts.repository';
import { DocumentsService } from '../documents/documents.service';
import { PersonAccessService } from '../persons/person-access.service';
import { PersonsService } from '../persons/persons.service';
import { findHandoffsForExport } from '../referents/handoffs.repository';
import { findReferents } from '../referents/referents.repository';
import { findReferrals, referralViewer } from '../referrals/referrals.repository';
import { findRequests } from '../requests/requests.repository';
import { AccessOverridesService } from './access-overrides.service';
import { ConsentsService } from './consents.service';

/**
 * The person's right of access (GDPR art. 15), answered by a structure that follows them: everything
 * it holds on the person (its own records with its private notes, the orientations it sent or
 * received, the handoffs it sent or received with their transmission notes), what other structures
 * shared with it under consent, the référents de parcours (current and past), that the other
 * structures' handoffs took place, the consents, the exceptional accesses (without the agents'
 * justifications, which may concern a danger being handled) and the access log. The structures that
 * follow the person are listed: each answers for its own records.
 */
@Injectable()
export class SubjectAccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly persons: PersonsService,
    private readonly consents: ConsentsService,
    private readonly overrides: AccessOverridesService,
    private readonly documents: DocumentsService,
    private readonly audit: AuditService,
  ) {}

  async export(auth: AuthContext, personId: string): Promise<SubjectAccessExport> {
    await this.access.assertFollows(auth, personId);
    const person = await this.persons.get(auth, personId);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const structureId = auth.structureId as string;
      const visibleTo = this.access.recordVisibilityFor(auth);
      const [caller] = (await manager.query(
        `SELECT s.name AS structure_name, concat_ws(' ', u.first_name, u.last_name) AS user_name
           FROM structure s, app_user u WHERE s.id = $1 AND u.id = $2`,
        [structureId, auth.userId],
      )) as { structure_name: string; user_name: string }[];
      const followedBy = (await manager.query(
        `SELECT s.name AS structure_name, pf.since FROM person_follow pf JOIN structure s ON s.id = pf.structure_id
          WHERE pf.person_id = $1 ORDER BY pf.since, s.name`,
        [personId],
      )) as { structure_name: string; since: Date }[];
      const result: SubjectAccessExport = {
        format: 'passerelle.subject-access/1',
        generatedAt: new Date().toISOString(),
        generatedBy: { structureName: caller.structure_name, userName: caller.user_name },
        person,
        followedBy: followedBy.map((f) => ({ structureName: f.structure_name, since: f.since.toISOString() })),
        contacts: await findContacts(manager, { tenantId: auth.tenantId, structureId }, { personId, visibleTo }),
        requests: await findRequests(manager, auth.tenantId, { personId, visibleTo }),
        documents: await this.documents.find(manager, auth, personId),
        consents: await this.consents.find(manager, personId),
        exceptionalAccesses: await this.overrides.forPerson(manager, auth.tenantId, personId),
        accessLog: await this.overrides.logEntries(manager, auth.tenantId, personId),
        // The orientations sent or received by the structure, and the others' shared with it (needs).
        referrals: await findReferrals(manager, referralViewer(this.access, { ...auth, structureId }), { scope: 'person', personId }),
        // Seen fully by a structure that follows the person, but for the other structures' criteria notes.
        referents: await findReferents(manager, auth.tenantId, personId, structureId),
        // Its own handoffs with their notes; the others' only that they took place.
        handoffs: await findHandoffsForExport(manager, auth.tenantId, personId, structureId),
      };
      await this.audit.record(auth, { action: 'person.export', entityType: 'person', entityId: personId }, manager);
      return result;
    });
  }
}
