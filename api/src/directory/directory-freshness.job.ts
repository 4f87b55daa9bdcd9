import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SERVICE_FRESHNESS_MONTHS } from '@passerelle/contracts';
import { DataSource } from 'typeorm';
import { NotificationEvents } from '../notifications/notification-events';
import { JobQueue } from '../retention/job-queue.service';

export const DIRECTORY_FRESHNESS_QUEUE = 'directory.freshness';
/** Mondays at 07:30, Paris time: the structure admins start the week with the services to check. */
export const DIRECTORY_FRESHNESS_SCHEDULE = { cron: '30 7 * * 1', tz: 'Europe/Paris' };

export interface DirectoryFreshnessReport {
  structuresNotified: number;
}

/**
 * Flags the services not verified for SERVICE_FRESHNESS_MONTHS to their structure's administrators
 * (notification services_stale, which is not repeated while the previous one is unread). The search
 * already shows them as « à vérifier »; this makes sure someone is asked to look.
 */
@Injectable()
export class DirectoryFreshnessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationEvents,
  ) {}

  /** One transaction per structure with stale active services (of an active structure). */
  async run(): Promise<DirectoryFreshnessReport> {
    const structures: { tenant_id: string; structure_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT s.tenant_id, s.structure_id
         FROM service s JOIN structure st ON st.id = s.structure_id AND st.active
        WHERE s.active AND s.last_verified_at < now() - make_interval(months => $1::int)
        ORDER BY s.tenant_id, s.structure_id`,
      [SERVICE_FRESHNESS_MONTHS],
    );
    for (const s of structures) {
      await this.dataSource.transaction((manager) =>
        this.notifications.servicesStale(manager, { tenantId: s.tenant_id, actorUserId: null, structureId: s.structure_id }),
      );
    }
    return { structuresNotified: structures.length };
  }
}

@Injectable()
export class DirectoryFreshnessJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly freshness: DirectoryFreshnessService,
  ) {}

  onModuleInit(): void {
    this.jobs.define({
      queue: DIRECTORY_FRESHNESS_QUEUE,
      options: { policy: 'stately', retryLimit: 3, retryDelay: 15 * 60, retryBackoff: true, expireInSeconds: 3600 },
      schedule: DIRECTORY_FRESHNESS_SCHEDULE,
      handle: () => this.freshness.run(),
    });
  }
}
