import { Injectable } from '@nestjs/common';
import type { TimelineEntry } from '@passerelle/contracts';
import { findContacts } from '../contacts/contacts.repository';
import type { TimelineQuery, TimelineSource } from './timeline-source';

/**
 * The person's contacts with needs and linked requests: the caller's structure's, and the others' shared
 * with it by consent (their summaries only if summaries are shared); private notes only the caller's own.
 */
@Injectable()
export class ContactTimelineSource implements TimelineSource {
  readonly name = 'contacts';

  async load({ manager, auth, personId, visibleTo }: TimelineQuery): Promise<TimelineEntry[]> {
    const contacts = await findContacts(manager, { tenantId: auth.tenantId, structureId: auth.structureId }, { personId, visibleTo });
    return contacts.map((contact) => ({ kind: 'contact', at: contact.occurredAt, contact }));
  }
}
