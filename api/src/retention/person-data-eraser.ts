import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

/**
 * Why files are anonymised: their retention ran out (the daily job), or the person asked for the
 * erasure of their data (RGPD art. 17, ErasureService). The anonymisation is the same; the placeholder
 * texts say which (see anonymizedText).
 */
export type AnonymizationCause = 'retention' | 'erasure';

/** One set of files being anonymised (a retention batch, or one erased file), inside its transaction. */
export interface PersonDataErasure {
  manager: EntityManager;
  tenantId: string;
  /** The files being anonymised: the files due (or erased) and the files merged into them. */
  personIds: string[];
  /** The clock: the run's, or the erasure's transaction's. */
  now: Date;
  cause: AnonymizationCause;
}

/**
 * Erases what one feature holds about a person whose file is being anonymised (its free text, its
 * attachments…), keeping what anonymous statistics count (codes, statuses, dates). Runs inside the
 * caller's transaction, with the other erasers and the anonymisation of the person row itself
 * (PersonAnonymizer, used by the retention job and by the erasure on request): all of it is erased,
 * or none of it. Must be idempotent (a batch may be retried) and write no personal data anywhere
 * (logs, audit).
 *
 * A feature adds its eraser by declaring a provider in its own module:
 *
 *     @Injectable() @ErasesPersonData()
 *     export class DocumentsEraser implements PersonDataEraser { name = 'documents'; async erase(e) { … } }
 *
 * Files kept outside PostgreSQL (object storage) cannot be deleted inside the transaction: delete
 * their rows here, and the blobs from a job that lists blobs without a row.
 */
export interface PersonDataEraser {
  /** Short, stable name: the key of its count in the run's report (e.g. "contacts"). */
  readonly name: string;
  /** Returns the number of rows changed or deleted. */
  erase(erasure: PersonDataErasure): Promise<number>;
}

/** Marks a provider as a PersonDataEraser; PersonAnonymizer finds them all (Nest DiscoveryService). */
export const ErasesPersonData = DiscoveryService.createDecorator<void>();
