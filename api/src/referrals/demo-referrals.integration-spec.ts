import type { Referral } from '@passerelle/contracts';
import { DEMO_ACCOUNTS, DemoSeeder } from '../demo/demo-seeder';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/test-app';

describe('demo orientations (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DEMO_PASSWORD: TEST_PASSWORD });
    expect(await t.app.get(DemoSeeder).seedOnce()).toBe(true);
  });
  afterAll(() => t.close());

  it('loads orientations in every state of the loop, each step in its history', async () => {
    const rows: { status: string; n: number }[] = await t.dataSource.query(`SELECT status, count(*)::int AS n FROM referral GROUP BY status ORDER BY status`);
    expect(rows).toEqual([
      { status: 'accepted', n: 1 },
      { status: 'closed', n: 2 },
      { status: 'received', n: 1 },
      { status: 'refused', n: 1 },
      { status: 'sent', n: 1 },
    ]);
    const [{ events }] = await t.dataSource.query(`SELECT count(*)::int AS events FROM referral_event`);
    expect(events).toBe(2 + 3 + 3 + 5 + 5 + 1);
    const [{ referents }] = await t.dataSource.query(`SELECT count(*)::int AS referents FROM referent WHERE ended_at IS NULL`);
    expect(referents).toBe(1);
  });

  it('shows them to the demo agents through the API: the sender follows its orientations, the receiver answers them', async () => {
    const reception = await t.login(DEMO_ACCOUNTS.find((a) => a.role === 'reception_agent')?.email ?? '');
    const sent = (await reception.get('/api/referrals/sent').expect(200)).body as Referral[];
    expect(sent.map((r) => r.to.name).sort()).toEqual([
      'CAF des Hautes-Alpes',
      'CPAM des Hautes-Alpes',
      'Département des Hautes-Alpes — Direction de l’action sociale',
      'France Travail Gap',
      'Mission locale pour les jeunes des Hautes-Alpes',
    ]);
    const social = await t.login(DEMO_ACCOUNTS.find((a) => a.role === 'social_worker')?.email ?? '');
    const inbox = (await social.get('/api/referrals/inbox').expect(200)).body as Referral[];
    expect(inbox.map((r) => r.status)).toEqual(['accepted']);
  });
});
