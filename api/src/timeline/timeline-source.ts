import type { TimelineEntry } from '@passerelle/contracts';
import type { EntityManager } from 'typeorm';
import type { AuthContext } from '../common/auth/auth-context';
import type { PersonAccess, RecordVisibility } from '../persons/person-access.service';

/** What a source reads for: a person the caller was already allowed to see (checked once, by TimelineService). */
export interface TimelineQuery {
  manager: EntityManager;
  auth: AuthContext & { structureId: string };
  personId: string;
  /** The access policy for records written by other structures: each source applies it in its query. */
  visibleTo: RecordVisibility;
  /** What the caller may see of the person (why, which categories), as checked by TimelineService. */
  access: PersonAccess;
}

/**
 * One kind of event in a person's path (contacts, requests; later orientations, référents,
 * consents). Each source runs its own query and returns entries of its kinds, already filtered to
 * what the caller may see (e.g. no private note of another structure); TimelineService merges them.
 * A new kind: extend `TimelineEntry` in the contracts, write a source, add it to TIMELINE_SOURCES.
 */
export interface TimelineSource {
  readonly name: string;
  load(query: TimelineQuery): Promise<TimelineEntry[]>;
}

export const TIMELINE_SOURCES = Symbol('TIMELINE_SOURCES');
