import { Injectable } from '@nestjs/common';
import { ErasesPersonData, type PersonDataErasure, type PersonDataEraser } from '../retention/person-data-eraser';

/**
 * Retention and erasure on request: an orientation's message and status comment are free text about
 * the person; they are cleared. Kept for the indicators: structures, service, bouquet, categories,
 * statuses, dates, refusal reason, outcome, broken link, and the events (who, when).
 */
@Injectable()
@ErasesPersonData()
export class ReferralsEraser implements PersonDataEraser {
  readonly name = 'referrals';

  async erase({ manager, tenantId, personIds }: PersonDataErasure): Promise<number> {
    const rows: { n: number }[] = await manager.query(
      `WITH changed AS (
         UPDATE referral SET message = NULL, status_comment = NULL
          WHERE person_id = ANY($1::uuid[]) AND tenant_id = $2 AND (message IS NOT NULL OR status_comment IS NOT NULL)
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM changed`,
      [personIds, tenantId],
    );
    return rows[0]?.n ?? 0;
  }
}
