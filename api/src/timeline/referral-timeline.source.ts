import { Injectable } from '@nestjs/common';
import type { TimelineEntry } from '@passerelle/contracts';
import { PersonAccessService } from '../persons/person-access.service';
import { findReferrals, type ReferralViewer } from '../referrals/referrals.repository';
import type { TimelineQuery, TimelineSource } from './timeline-source';

/**
 * The person's orientations, with the same visibility as GET /api/persons/:id/referrals (sent or
 * received by the caller's structure; the others' when "besoins et demandes" is shared with it): one
 * entry when sent ("Orientation envoyée vers X"), one per later step (reçue, acceptée, refusée…).
 */
@Injectable()
export class ReferralTimelineSource implements TimelineSource {
  readonly name = 'referrals';

  constructor(private readonly access: PersonAccessService) {}

  async load({ manager, auth, personId, visibleTo }: TimelineQuery): Promise<TimelineEntry[]> {
    const viewer: ReferralViewer = {
      tenantId: auth.tenantId,
      structureId: auth.structureId,
      nameVisible: (alias, firstParam) => this.access.visibleSql(auth, alias, firstParam),
      recordVisible: visibleTo,
    };
    const referrals = await findReferrals(manager, viewer, { scope: 'person', personId });
    return referrals.flatMap((referral): TimelineEntry[] =>
      referral.events.map((event) =>
        event.status === 'sent' ? { kind: 'referral_sent', at: event.at, referral } : { kind: 'referral_status', at: event.at, event, referral },
      ),
    );
  }
}
