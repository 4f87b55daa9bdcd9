import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TimelineEntry } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { forbidden } from '../common/errors/domain-error';
import { PersonAccessService } from '../persons/person-access.service';
import { mergeTimeline } from './timeline';
import { TIMELINE_SOURCES, type TimelineSource } from './timeline-source';

/** A person's path (parcours): every source's entries, newest first, within what the caller may see. */
@Injectable()
export class TimelineService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(TIMELINE_SOURCES) private readonly sources: TimelineSource[],
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
  ) {}

  /** 404 unless the caller may see the person. Audited as `person.timeline.read`. */
  async forPerson(auth: AuthContext, personId: string): Promise<TimelineEntry[]> {
    const structureId = auth.structureId;
    if (!structureId) throw forbidden();
    const access = await this.access.assertCanSee(auth, personId);
    const query = { manager: this.dataSource.manager, auth: { ...auth, structureId }, personId, visibleTo: this.access.recordVisibilityFor(auth), access };
    const lists = await Promise.all(this.sources.map((source) => source.load(query)));
    await this.audit.record(auth, { action: 'person.timeline.read', entityType: 'person', entityId: personId, reason: access.reason });
    return mergeTimeline(lists);
  }
}
