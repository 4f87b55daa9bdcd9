import type { TimelineEntry } from '@passerelle/contracts';

/**
 * At the same instant, the consequence comes first in a newest-first list: a request opened by a
 * contact is shown above that contact. Typed on the union, so a new kind must be ranked here.
 */
const RANK_AT_SAME_INSTANT: Record<TimelineEntry['kind'], number> = {
  request_closed: 0,
  request_opened: 1,
  contact: 2,
};

/** Merges the entries of every source, newest first (stable for equal instants and kinds). */
export function mergeTimeline(lists: readonly (readonly TimelineEntry[])[]): TimelineEntry[] {
  return lists
    .flat()
    .map((entry) => ({ entry, at: Date.parse(entry.at) }))
    .sort((a, b) => b.at - a.at || RANK_AT_SAME_INSTANT[a.entry.kind] - RANK_AT_SAME_INSTANT[b.entry.kind])
    .map(({ entry }) => entry);
}
