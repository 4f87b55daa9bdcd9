import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

/** One batch of files being anonymised, inside the batch's transaction. */
export interface PersonDataErasure {
  manager: EntityManager;
  tenantId: string;
  /** The files of the batch: files due for anonymisation and the files merged into them. */
  personIds: string[];
  /** The run's clock. */
  now: Date;
}

/**
 * Erases what one feature holds about a person whose file is being anonymised (its free text, its
 * attachments…), keeping what anonymous statistics count (codes, statuses, dates). Runs inside the
 * batch's transaction, with the other erasers and the anonymisation of the person row itself
 * (RetentionService): all of a batch is erased, or none of it. Must be idempotent (a batch may be
 * retried) and write no personal data anywhere (logs, audit).
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

/** Marks a provider as a PersonDataEraser; RetentionService finds them all (Nest DiscoveryService). */
export const ErasesPersonData = DiscoveryService.createDecorator<void>();
