import { Injectable } from '@nestjs/common';
import { ErasesPersonData, type PersonDataErasure, type PersonDataEraser } from '../retention/person-data-eraser';

/**
 * Retention and erasure on request: the person's continuity journal rows are deleted — their
 * acknowledgement comments are free text about the person's path. An anonymised person produces no
 * alert any more, so the journal does not bring them back.
 */
@Injectable()
@ErasesPersonData()
export class ContinuityEraser implements PersonDataEraser {
  readonly name = 'continuity';

  async erase({ manager, tenantId, personIds }: PersonDataErasure): Promise<number> {
    const rows: { n: number }[] = await manager.query(
      `WITH deleted AS (
         DELETE FROM continuity_alert WHERE person_id = ANY($1::uuid[]) AND tenant_id = $2
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM deleted`,
      [personIds, tenantId],
    );
    return rows[0]?.n ?? 0;
  }
}
