import { Injectable } from '@nestjs/common';
import type { TimelineEntry } from '@passerelle/contracts';
import { findRequests } from '../requests/requests.repository';
import type { TimelineQuery, TimelineSource } from './timeline-source';

/** The person's requests: one entry when opened, one more when closed (résolue or sans suite). */
@Injectable()
export class RequestTimelineSource implements TimelineSource {
  readonly name = 'requests';

  async load({ manager, auth, personId, visibleTo }: TimelineQuery): Promise<TimelineEntry[]> {
    const requests = await findRequests(manager, auth.tenantId, { personId, visibleTo });
    return requests.flatMap((request): TimelineEntry[] => [
      { kind: 'request_opened', at: request.openedAt, request },
      ...(request.closedAt ? [{ kind: 'request_closed' as const, at: request.closedAt, request }] : []),
    ]);
  }
}
