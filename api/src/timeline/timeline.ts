import type { TimelineEntry } from '@passerelle/contracts';

/**
 * At the same instant, the consequence comes first in a newest-first list: a request opened by a
 * contact is shown above that contact, an orientation sent by a réorientation above that step.
 * Typed on the union, so a new kind must be ranked here.
 */
const RANK_AT_SAME_INSTANT: Record<TimelineEntry['kind'], number> = {
  request_closed: 0,
  // A réorientation sends the new orientation in the same transaction: the new one above the step.
  referral_sent: 1,
  referral_status: 2,
  request_opened: 3,
  contact: 4,
  // An accepted handoff may designate the receiver, ending the previous référent's term: the new référent on top.
  referent_designated: 5,
  referent_ended: 6,
  handoff_answered: 7,
  handoff_proposed: 8,
};

/** Merges the entries of every source, newest first (stable for equal instants and kinds). */
export function mergeTimeline(lists: readonly (readonly TimelineEntry[])[]): TimelineEntry[] {
  return lists
    .flat()
    .map((entry) => ({ entry, at: Date.parse(entry.at) }))
    .sort((a, b) => b.at - a.at || RANK_AT_SAME_INSTANT[a.entry.kind] - RANK_AT_SAME_INSTANT[b.entry.kind])
    .map(({ entry }) => entry);
}
