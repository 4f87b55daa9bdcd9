import { Injectable } from '@nestjs/common';
import { ErasesPersonData, type PersonDataErasure, type PersonDataEraser } from '../retention/person-data-eraser';

/**
 * Retention and erasure on request: the documents of a file being anonymised are deleted, with their
 * content (same transaction: the bytes live in PostgreSQL). Nothing of them is kept for statistics.
 */
@Injectable()
@ErasesPersonData()
export class DocumentsEraser implements PersonDataEraser {
  readonly name = 'documents';

  async erase({ manager, tenantId, personIds }: PersonDataErasure): Promise<number> {
    const rows: { n: number }[] = await manager.query(
      `WITH deleted AS (DELETE FROM document WHERE person_id = ANY($1::uuid[]) AND tenant_id = $2 RETURNING 1)
       SELECT count(*)::int AS n FROM deleted`,
      [personIds, tenantId],
    );
    return rows[0]?.n ?? 0;
  }
}
