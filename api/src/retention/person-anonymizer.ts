import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { ErasesPersonData, type AnonymizationCause, type PersonDataEraser } from './person-data-eraser';

/** The name an anonymised file keeps (the person table requires a name; CHECK person_anonymized_holds_no_identity). */
export const ANONYMIZED_NAME = 'Anonymisé';

export interface Anonymization {
  tenantId: string;
  /** The files to anonymise; the files merged into them (recursively) are anonymised with them. */
  personIds: string[];
  /** Stamped as `person.anonymized_at`. */
  now: Date;
  cause: AnonymizationCause;
}

export interface AnonymizationResult {
  /** Files anonymised by this call (merged files included; files already anonymised are not counted). */
  personsAnonymized: number;
  /** Rows changed or deleted by each PersonDataEraser, by its name. */
  erased: Record<string, number>;
}

/**
 * The one way to anonymise person files, used by the retention job (RetentionService, files past their
 * retention) and by the erasure at the person's request (ErasureService, RGPD art. 17): inside the
 * caller's transaction, the files and every file merged into them are locked, every PersonDataEraser
 * runs (free text of contacts, needs, requests, exceptional accesses; documents…), then the identity is
 * cleared but for a placeholder name and `anonymized_at` is set. Codes, statuses and dates stay, so
 * anonymous statistics are the same before and after. All of it commits with the caller's
 * transaction, or none of it. Idempotent: files already anonymised are left as they are.
 */
@Injectable()
export class PersonAnonymizer implements OnModuleInit {
  private erasers: PersonDataEraser[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    this.erasers = this.discovery
      .getProviders({ metadataKey: ErasesPersonData.KEY })
      .map((wrapper) => wrapper.instance as PersonDataEraser)
      .filter((eraser) => typeof eraser?.erase === 'function')
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Names of the erasers run on each anonymised file. */
  get eraserNames(): string[] {
    return this.erasers.map((e) => e.name);
  }

  /** Anonymises the files and the files merged into them, in the caller's transaction (`manager`). */
  async anonymize(manager: EntityManager, { tenantId, personIds: roots, now, cause }: Anonymization): Promise<AnonymizationResult> {
    const personIds = await this.withMergedFiles(manager, roots);
    const erased: Record<string, number> = {};
    for (const eraser of this.erasers) erased[eraser.name] = await eraser.erase({ manager, tenantId, personIds, now, cause });
    return { personsAnonymized: await this.anonymizeIdentity(manager, personIds, now), erased };
  }

  /** The given files and every file merged into them (recursively) not yet anonymised, locked (in id order). */
  async withMergedFiles(manager: EntityManager, ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH RECURSIVE file(id) AS (
         SELECT unnest($1::uuid[])
         UNION
         SELECT m.id FROM person m JOIN file f ON m.merged_into_id = f.id
       )
       SELECT p.id FROM person p JOIN file f ON f.id = p.id
        WHERE p.anonymized_at IS NULL
        ORDER BY p.id
        FOR UPDATE OF p`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  private async anonymizeIdentity(manager: EntityManager, personIds: string[], now: Date): Promise<number> {
    const rows: { n: number }[] = await manager.query(
      `WITH changed AS (
         UPDATE person SET
           usage_last_name = $2, birth_last_name = NULL, first_names = NULL,
           birth_date = NULL, birth_date_precision = NULL,
           commune_insee = NULL, no_stable_home = false, domiciliation = NULL,
           phone = NULL, email = NULL, languages = '{}', needs_interpreter = false, contact_preference = NULL,
           household = NULL, dependent_children = NULL, nationality_group = NULL,
           anonymized_at = $3
          WHERE id = ANY($1::uuid[]) AND anonymized_at IS NULL
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM changed`,
      [personIds, ANONYMIZED_NAME, now],
    );
    return rows[0]?.n ?? 0;
  }
}
