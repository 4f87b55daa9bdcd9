import { createTestApp, type TestApp } from '../../test/test-app';
import { agentOf, insertStructure, notificationsOf } from '../notifications/testing/notification-fixtures';
import { DirectoryFreshnessService } from './directory-freshness.job';

describe('directory freshness: stale services flagged to their structure admins (integration)', () => {
  let t: TestApp;
  let freshness: DirectoryFreshnessService;

  beforeAll(async () => {
    t = await createTestApp();
    freshness = t.app.get(DirectoryFreshnessService);
  });
  afterAll(() => t.close());

  const addService = async (structureId: string, monthsAgo: number, active = true) => {
    const [{ id }]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO service (tenant_id, structure_id, name, bouquets, active, last_verified_at)
       VALUES ($1, $2, 'Aide au logement', '{14}', $3, now() - make_interval(months => $4::int)) RETURNING id`,
      [t.tenant.id, structureId, active, monthsAgo],
    );
    return id;
  };

  it('notifies the admins (not the agents) of a structure with a service unverified for 6 months, once while unread', async () => {
    const stale = await insertStructure(t.dataSource, t.tenant.id, 'CCAS périmé');
    const fresh = await insertStructure(t.dataSource, t.tenant.id, 'CCAS à jour');
    const admin = await agentOf(t, 'structure_admin', stale);
    await agentOf(t, 'reception_agent', stale); // agents are not asked to check the directory
    const freshAdmin = await agentOf(t, 'structure_admin', fresh);
    await addService(stale, 7);
    await addService(stale, 1);
    await addService(fresh, 5);
    await addService(fresh, 12, false); // withdrawn: nothing to check

    const report = await freshness.run();
    expect(report.structuresNotified).toBeGreaterThanOrEqual(1);
    expect(await notificationsOf(t.dataSource, stale)).toEqual([{ user_id: admin.userId, kind: 'services_stale', detail: null }]);
    expect(await notificationsOf(t.dataSource, fresh)).toEqual([]);
    expect(freshAdmin.userId).toBeDefined();

    // Not repeated while the previous one is unread; again once it was read.
    await freshness.run();
    expect(await notificationsOf(t.dataSource, stale)).toHaveLength(1);
    await t.dataSource.query(`UPDATE notification SET read_at = now() WHERE entity_id = $1`, [stale]);
    await freshness.run();
    expect(await notificationsOf(t.dataSource, stale)).toHaveLength(2);

    // Verified again: no more reminders.
    await t.dataSource.query(`UPDATE service SET last_verified_at = now() WHERE structure_id = $1`, [stale]);
    await t.dataSource.query(`UPDATE notification SET read_at = now() WHERE entity_id = $1`, [stale]);
    await freshness.run();
    expect(await notificationsOf(t.dataSource, stale)).toHaveLength(2);
  });
});
