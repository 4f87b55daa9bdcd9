import { Injectable } from '@nestjs/common';
import type { TimelineEntry } from '@passerelle/contracts';
import { findHandoffSummaries } from '../referents/handoffs.repository';
import { referentsShared } from '../referents/referent-rules';
import { findReferents } from '../referents/referents.repository';
import type { TimelineQuery, TimelineSource } from './timeline-source';

/**
 * The person's référents (designated; ended) and handoffs (proposed; accepted, declined or cancelled),
 * under the same rule as GET /persons/:id/referents: the structures that follow the person, and a
 * structure that sees the file by consent when identity is shared with it. Never a handoff's note nor
 * its decline reason; a criteria note only for the référent's structure.
 */
@Injectable()
export class ReferentTimelineSource implements TimelineSource {
  readonly name = 'referents';

  async load({ manager, auth, personId, access }: TimelineQuery): Promise<TimelineEntry[]> {
    if (!referentsShared(access)) return [];
    const [referents, handoffs] = await Promise.all([
      findReferents(manager, auth.tenantId, personId, auth.structureId),
      findHandoffSummaries(manager, auth.tenantId, personId),
    ]);
    return [
      ...referents.flatMap((referent): TimelineEntry[] => [
        { kind: 'referent_designated', at: referent.startedAt, referent },
        ...(referent.endedAt ? [{ kind: 'referent_ended' as const, at: referent.endedAt, referent }] : []),
      ]),
      ...handoffs.flatMap((handoff): TimelineEntry[] => [
        { kind: 'handoff_proposed', at: handoff.proposedAt, handoff },
        ...(handoff.answeredAt ? [{ kind: 'handoff_answered' as const, at: handoff.answeredAt, handoff }] : []),
      ]),
    ];
  }
}
