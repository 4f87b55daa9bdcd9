import { ThrottlerStorageService } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { adminQuery, TEMPLATE_DB, withDatabase } from '../../test/test-database';
import { PostgresThrottlerStorage, rateLimitKey, type ThrottlerStorageRecord } from './postgres-throttler-storage';

const SECRET = 'rate-limit-test-secret-of-32-characters';
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The storage against the real table (migrated template database); two pools stand for two API processes. */
describe('PostgresThrottlerStorage (integration)', () => {
  const serverUrl = process.env['PASSERELLE_TEST_SERVER_URL'] as string;
  const database = `passerelle_t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let first: DataSource;
  let second: DataSource;
  let a: PostgresThrottlerStorage;
  let b: PostgresThrottlerStorage;

  beforeAll(async () => {
    await adminQuery(serverUrl, `CREATE DATABASE ${database} TEMPLATE ${TEMPLATE_DB}`);
    const options = { type: 'postgres' as const, url: withDatabase(serverUrl, database), extra: { max: 4 } };
    [first, second] = await Promise.all([new DataSource(options).initialize(), new DataSource(options).initialize()]);
    // No purge during the tests unless asked for (it would race with the rows they look at).
    a = new PostgresThrottlerStorage(first, SECRET, Number.POSITIVE_INFINITY);
    b = new PostgresThrottlerStorage(second, SECRET, Number.POSITIVE_INFINITY);
  });
  afterAll(async () => {
    await Promise.all([first?.destroy(), second?.destroy()]);
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  const key = () => randomUUID();

  it('the table is unlogged and stores the keyed hash, never the given key', async () => {
    const given = `AuthController-login-login-203.0.113.7`;
    await a.increment(given, 60_000, 3, 60_000, 'login');
    const [table] = await first.query(`SELECT relpersistence FROM pg_class WHERE relname = 'rate_limit'`);
    expect(table.relpersistence).toBe('u');
    const rows = await first.query(`SELECT key, throttler, hits FROM rate_limit WHERE key = $1`, [rateLimitKey(SECRET, 'login', given)]);
    expect(rows).toEqual([{ key: expect.stringMatching(/^[0-9a-f]{64}$/), throttler: 'login', hits: 1 }]);
    expect(await first.query(`SELECT 1 FROM rate_limit WHERE key LIKE '%203.0.113%' OR key = $1`, [given])).toEqual([]);
  });

  it('limit reached → blocked for the block duration; hits while blocked are not counted; same records as the in-memory storage', async () => {
    const memory = new ThrottlerStorageService();
    try {
      const k = key();
      const db: ThrottlerStorageRecord[] = [];
      const mem: ThrottlerStorageRecord[] = [];
      for (let i = 0; i < 5; i++) {
        db.push(await a.increment(k, 60_000, 3, 30_000, 'login'));
        mem.push(await memory.increment(k, 60_000, 3, 30_000, 'login'));
      }
      expect(db).toEqual([
        { totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 },
        { totalHits: 2, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 },
        { totalHits: 3, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 },
        { totalHits: 4, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 30 },
        { totalHits: 4, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 30 },
      ]);
      // The in-memory storage returns a negative timeToBlockExpire when not blocked (unread by the guard).
      expect(mem.map((r) => (r.isBlocked ? r : { ...r, timeToBlockExpire: 0 }))).toEqual(db);
    } finally {
      memory.onApplicationShutdown();
    }
  });

  it('the window is reset after the ttl', async () => {
    const k = key();
    expect(await a.increment(k, 300, 2, 300, 'login')).toMatchObject({ totalHits: 1, timeToExpire: 1, isBlocked: false });
    expect(await a.increment(k, 300, 2, 300, 'login')).toMatchObject({ totalHits: 2, isBlocked: false });
    await sleep(350);
    expect(await a.increment(k, 300, 2, 300, 'login')).toMatchObject({ totalHits: 1, isBlocked: false });
    const [row] = await first.query(`SELECT expires_at > now() + interval '200 milliseconds' AS fresh FROM rate_limit WHERE key = $1`, [
      rateLimitKey(SECRET, 'login', k),
    ]);
    expect(row.fresh).toBe(true);
  });

  it('a block outlasts the window, and the first hit after it counts 1', async () => {
    const k = key();
    await a.increment(k, 200, 1, 900, 'login');
    expect(await a.increment(k, 200, 1, 900, 'login')).toMatchObject({ totalHits: 2, isBlocked: true, timeToBlockExpire: 1 });
    await sleep(300); // window over, block not
    expect(await a.increment(k, 200, 1, 900, 'login')).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    await sleep(700); // block over
    expect(await a.increment(k, 200, 1, 900, 'login')).toEqual({ totalHits: 1, timeToExpire: 1, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('without a block duration: refused past the limit until the window ends, counted as limit + 1 (as in memory)', async () => {
    const memory = new ThrottlerStorageService();
    const k = key();
    const records: ThrottlerStorageRecord[] = [];
    const mem: ThrottlerStorageRecord[] = [];
    for (let i = 0; i < 4; i++) {
      records.push(await a.increment(k, 60_000, 2, 0, 'login'));
      mem.push(await memory.increment(k, 60_000, 2, 0, 'login'));
    }
    memory.onApplicationShutdown();
    expect(mem).toEqual(records);
    expect(records).toEqual([
      { totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 },
      { totalHits: 2, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 },
      { totalHits: 3, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 },
      { totalHits: 3, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 },
    ]);
  });

  it('two storages on two pools share one count, alternately and concurrently (no hit lost)', async () => {
    const k = key();
    const alternate = [];
    for (let i = 0; i < 4; i++) alternate.push(await (i % 2 === 0 ? a : b).increment(k, 60_000, 3, 60_000, 'login'));
    expect(alternate.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(await a.increment(k, 60_000, 3, 60_000, 'login')).toMatchObject({ isBlocked: true });

    const burst = key();
    const records = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? a : b).increment(burst, 60_000, 1000, 60_000, 'login')));
    expect(records.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it('the purge deletes the rows whose window and block are over, and only those', async () => {
    const over = key();
    const blocked = key();
    const live = key();
    await a.increment(over, 100, 5, 100, 'login');
    await a.increment(blocked, 100, 0, 60_000, 'login'); // limit 0: blocked at once, for a minute
    await a.increment(live, 60_000, 5, 60_000, 'login');
    await sleep(150);
    expect(await a.purgeExpired()).toBeGreaterThanOrEqual(1);
    const hashes = [over, blocked, live].map((k) => rateLimitKey(SECRET, 'login', k));
    const rows: { key: string }[] = await first.query(`SELECT key FROM rate_limit WHERE key = ANY($1)`, [hashes]);
    expect(rows.map((r) => r.key).sort()).toEqual([hashes[1], hashes[2]].sort());

    // One in one: every increment purges.
    const eager = new PostgresThrottlerStorage(first, SECRET, 1);
    const gone = key();
    await a.increment(gone, 100, 5, 100, 'login');
    await sleep(150);
    await eager.increment(key(), 60_000, 5, 60_000, 'login');
    expect(await first.query(`SELECT 1 FROM rate_limit WHERE key = $1`, [rateLimitKey(SECRET, 'login', gone)])).toEqual([]);
  });
});
