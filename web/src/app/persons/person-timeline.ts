import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import {
  Contact,
  CONTACT_ANSWER_LABELS,
  CONTACT_CHANNEL_LABELS,
  PersonRequest,
  REQUEST_STATUS_LABELS,
  TimelineEntry,
} from '@passerelle/contracts';
import { needLabel } from '../contacts/need-search';
import { ReferentTimelineEntryView } from '../referents/referent-timeline-entry';

/**
 * The person's path (parcours), most recent first: contacts (needs, answer, shared summary — or "not
 * shared" when another structure's summaries are not shared with the agent's — and, for the author's
 * structure only, the private note), requests opened and closed.
 */
@Component({
  selector: 'pa-person-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReferentTimelineEntryView],
  templateUrl: './person-timeline.html',
})
export class PersonTimeline {
  readonly entries = input.required<readonly TimelineEntry[]>();

  protected readonly sorted = computed(() => [...this.entries()].sort((a, b) => b.at.localeCompare(a.at)));
  protected readonly channelLabels = CONTACT_CHANNEL_LABELS;
  protected readonly answerLabels = CONTACT_ANSWER_LABELS;
  protected readonly statusLabels = REQUEST_STATUS_LABELS;
  protected readonly needLabel = needLabel;

  /** Another structure's summary is in the JSON only when its summaries are shared with the agent's structure. */
  protected summaryShared(contact: Contact): boolean {
    return 'summary' in contact;
  }

  /** The private note is in the JSON only for agents of the author's structure. */
  protected hasPrivateNote(contact: Contact): boolean {
    return 'privateNote' in contact && !!contact.privateNote;
  }

  protected requestTitle(request: PersonRequest): string {
    return request.subNeed ? `${needLabel(request.bouquet)} – ${request.subNeed}` : needLabel(request.bouquet);
  }

  protected key(entry: TimelineEntry, index: number): string {
    if (entry.kind === 'contact') return `c-${entry.contact.id}`;
    const id =
      'request' in entry ? entry.request.id : 'referral' in entry ? entry.referral.id : 'referent' in entry ? entry.referent.id : 'handoff' in entry ? entry.handoff.id : '';
    return `${entry.kind}-${id}-${index}`;
  }
}
