import { Injectable } from '@nestjs/common';
import type { TimelineEntry } from '@passerelle/contracts';
import { findContacts } from '../contacts/contacts.repository';
import type { TimelineQuery, TimelineSource } from './timeline-source';

/** The person's contacts, every structure's, with needs and linked requests; private notes only the caller's structure's. */
@Injectable()
export class ContactTimelineSource implements TimelineSource {
  readonly name = 'contacts';

  async load({ manager, auth, personId }: TimelineQuery): Promise<TimelineEntry[]> {
    const contacts = await findContacts(manager, { tenantId: auth.tenantId, structureId: auth.structureId }, { personId });
    return contacts.map((contact) => ({ kind: 'contact', at: contact.occurredAt, contact }));
  }
}
