import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PersonRequest } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../common/auth/auth-context';
import { forbidden, notFound } from '../common/errors/domain-error';
import { PersonAccessService } from '../persons/person-access.service';
import type { ChangeRequestStatusDto } from './dto/change-request-status.dto';
import { canTransition, invalidTransition, isClosedStatus, isTransitionRefusedByDatabase, transitionRefusedByDatabase } from './request-status';
import { findRequests, lockRequest } from './requests.repository';

/**
 * Requests (demandes): needs followed over time. Any structure that may see the person sees their
 * requests; only the structure that opened a request changes its status.
 */
@Injectable()
export class RequestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PersonAccessService,
    private readonly audit: AuditService,
  ) {}

  /** The person's requests, newest first (404 unless the caller may see the person). Audited. */
  async listForPerson(auth: AuthContext, personId: string): Promise<PersonRequest[]> {
    const access = await this.access.assertCanSee(auth, personId);
    const requests = await findRequests(this.dataSource.manager, auth.tenantId, { personId, visibleTo: this.access.recordVisibilityFor(auth) });
    await this.audit.record(auth, { action: 'person.requests.read', entityType: 'person', entityId: personId, reason: access.reason });
    return requests;
  }

  /**
   * Moves a request along ouverte → en cours → résolue | sans suite. The row is locked while the
   * transition is checked; the database trigger refuses an illegal transition in any case, and
   * that refusal is answered 409 like ours.
   */
  async changeStatus(auth: AuthContext, id: string, dto: ChangeRequestStatusDto): Promise<PersonRequest> {
    const structureId = auth.structureId;
    if (!structureId) throw forbidden();
    try {
      await this.dataSource.transaction(async (manager) => {
        const request = await lockRequest(manager, auth.tenantId, id);
        if (!request || !(await this.access.accessFor(auth, request.personId, manager))) throw notFound('Demande');
        if (request.structureId !== structureId) {
          throw forbidden('Seule la structure qui a ouvert cette demande peut en changer le statut.');
        }
        if (!canTransition(request.status, dto.status)) throw invalidTransition(request.status, dto.status);
        const closing = isClosedStatus(dto.status);
        await manager.query(
          `UPDATE request
              SET status = $2, closed_at = CASE WHEN $3 THEN now() END, closed_reason = $4,
                  status_changed_by_user_id = $5, updated_at = now()
            WHERE id = $1`,
          [id, dto.status, closing, closing ? (dto.reason ?? null) : null, auth.userId],
        );
        await this.audit.record(auth, { action: 'request.status', entityType: 'request', entityId: id, reason: `${request.status}->${dto.status}` }, manager);
      });
    } catch (error) {
      if (isTransitionRefusedByDatabase(error)) throw transitionRefusedByDatabase(dto.status);
      throw error;
    }
    const [updated] = await findRequests(this.dataSource.manager, auth.tenantId, { ids: [id] });
    if (!updated) throw notFound('Demande');
    return updated;
  }
}
