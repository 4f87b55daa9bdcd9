import { Injectable } from '@nestjs/common';
import { anonymizedText } from '../retention/attached-data-erasers';
import { ErasesPersonData, type PersonDataErasure, type PersonDataEraser } from '../retention/person-data-eraser';

/**
 * Retention and erasure on request: the référents' criteria notes are cleared and the active référent's
 * term ends ('retention'); the handoffs' transmission notes and decline reasons (free text about the
 * person) are replaced by the placeholder (the note is required), and a handoff still waiting is
 * cancelled. Kept for statistics: who, which structures, criteria codes, statuses, dates.
 */
@Injectable()
@ErasesPersonData()
export class ReferentsEraser implements PersonDataEraser {
  readonly name = 'referents';

  async erase({ manager, tenantId, personIds, now, cause }: PersonDataErasure): Promise<number> {
    const placeholder = anonymizedText(cause);
    const rows: { n: number }[] = await manager.query(
      `WITH referents AS (
         UPDATE referent SET
           criteria_note = NULL,
           ended_at = CASE WHEN ended_at IS NULL THEN greatest($3::timestamptz, started_at) ELSE ended_at END,
           ended_reason = CASE WHEN ended_at IS NULL THEN 'retention' ELSE ended_reason END
          WHERE person_id = ANY ($1::uuid[]) AND tenant_id = $2 AND (criteria_note IS NOT NULL OR ended_at IS NULL)
         RETURNING 1
       ), handoffs AS (
         UPDATE handoff SET
           note = $4::text,
           decline_reason = CASE WHEN decline_reason IS NOT NULL THEN $4::text END,
           status = CASE WHEN status = 'proposed' THEN 'cancelled' ELSE status END,
           answered_at = CASE WHEN status = 'proposed' THEN greatest($3::timestamptz, proposed_at) ELSE answered_at END
          WHERE person_id = ANY ($1::uuid[]) AND tenant_id = $2
            AND (note <> $4::text OR (decline_reason IS NOT NULL AND decline_reason <> $4::text) OR status = 'proposed')
         RETURNING 1
       )
       SELECT ((SELECT count(*) FROM referents) + (SELECT count(*) FROM handoffs))::int AS n`,
      [personIds, tenantId, now, placeholder],
    );
    return rows[0]?.n ?? 0;
  }
}
