import { Injectable } from '@nestjs/common';
import { ErasesPersonData, type AnonymizationCause, type PersonDataErasure, type PersonDataEraser } from './person-data-eraser';

/** What replaces a free text that its table requires (a CHECK wants a reason, a justification), after the retention. */
export const ANONYMIZED_TEXT = 'Anonymisé (durée de conservation échue)';
/** The same, after an erasure at the person's request (RGPD art. 17). */
export const ERASED_TEXT = 'Anonymisé (effacement à la demande de la personne)';

/** The placeholder text for this cause of anonymisation. */
export function anonymizedText(cause: AnonymizationCause): string {
  return cause === 'erasure' ? ERASED_TEXT : ANONYMIZED_TEXT;
}

async function count(erasure: PersonDataErasure, sql: string, extra: unknown[] = []): Promise<number> {
  const rows: { n: number }[] = await erasure.manager.query(sql, [erasure.personIds, erasure.tenantId, ...extra]);
  return rows[0]?.n ?? 0;
}

/**
 * Contacts (passages) of the files: summary and private note cleared, and the needs' detail. Kept for
 * statistics: structure, site, agent, channel, date, duration, answer, needs (bouquet, sub-need label).
 */
@Injectable()
@ErasesPersonData()
export class ContactsEraser implements PersonDataEraser {
  readonly name = 'contacts';

  erase(erasure: PersonDataErasure): Promise<number> {
    return count(
      erasure,
      `WITH texts AS (
         UPDATE contact SET summary = NULL, private_note = NULL
          WHERE person_id = ANY($1::uuid[]) AND tenant_id = $2 AND (summary IS NOT NULL OR private_note IS NOT NULL)
         RETURNING 1
       ), details AS (
         UPDATE contact_need n SET detail = NULL
           FROM contact c
          WHERE c.id = n.contact_id AND c.person_id = ANY($1::uuid[]) AND c.tenant_id = $2 AND n.detail IS NOT NULL
         RETURNING 1
       )
       SELECT ((SELECT count(*) FROM texts) + (SELECT count(*) FROM details))::int AS n`,
    );
  }
}

/**
 * Requests (demandes) of the files: description and closing reason cleared (a "sans suite" request
 * must keep a reason: it gets the placeholder, anonymizedText). Kept: structure, bouquet, sub-need,
 * status, dates.
 */
@Injectable()
@ErasesPersonData()
export class RequestsEraser implements PersonDataEraser {
  readonly name = 'requests';

  erase(erasure: PersonDataErasure): Promise<number> {
    return count(
      erasure,
      `WITH changed AS (
         UPDATE request
            SET description = NULL,
                closed_reason = CASE WHEN status = 'no_follow_up' THEN $3::text END
          WHERE person_id = ANY($1::uuid[]) AND tenant_id = $2
            AND (description IS NOT NULL OR closed_reason IS DISTINCT FROM CASE WHEN status = 'no_follow_up' THEN $3::text END)
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM changed`,
      [anonymizedText(erasure.cause)],
    );
  }
}

/**
 * Exceptional accesses to the files: the agent's justification is free text about the person's
 * situation; it is replaced by the placeholder (the column requires one). Kept: who, when, legal
 * basis, review.
 */
@Injectable()
@ErasesPersonData()
export class AccessOverridesEraser implements PersonDataEraser {
  readonly name = 'access_overrides';

  erase(erasure: PersonDataErasure): Promise<number> {
    return count(
      erasure,
      `WITH changed AS (
         UPDATE access_override SET justification = $3::text
          WHERE person_id = ANY($1::uuid[]) AND tenant_id = $2 AND justification <> $3::text
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM changed`,
      [anonymizedText(erasure.cause)],
    );
  }
}

export const ATTACHED_DATA_ERASERS = [ContactsEraser, RequestsEraser, AccessOverridesEraser];
