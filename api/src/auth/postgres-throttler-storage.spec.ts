import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { INCREMENT_SQL, PostgresThrottlerStorage, PURGE_SQL, rateLimitKey, toThrottlerRecord } from './postgres-throttler-storage';

const SECRET = 'x'.repeat(32);
// What ThrottlerGuard.generateKey builds for the login route and a client address.
const guardKey = (ip: string) => createHash('sha256').update(`AuthController-login-login-${ip}`).digest('hex');

describe('rateLimitKey', () => {
  it('is a keyed hash: 64 hex digits, stable, and different for another secret, throttler or key', () => {
    const key = rateLimitKey(SECRET, 'login', guardKey('203.0.113.7'));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(rateLimitKey(SECRET, 'login', guardKey('203.0.113.7'))).toBe(key);
    expect(rateLimitKey('y'.repeat(32), 'login', guardKey('203.0.113.7'))).not.toBe(key);
    expect(rateLimitKey(SECRET, 'other', guardKey('203.0.113.7'))).not.toBe(key);
    expect(rateLimitKey(SECRET, 'login', guardKey('203.0.113.8'))).not.toBe(key);
    // Not the guard's own (unkeyed, enumerable) hash.
    expect(key).not.toBe(guardKey('203.0.113.7'));
  });

  it('keeps the name and the key apart (no concatenation ambiguity)', () => {
    expect(rateLimitKey(SECRET, 'a-b', 'c')).not.toBe(rateLimitKey(SECRET, 'a', 'b-c'));
  });
});

describe('toThrottlerRecord', () => {
  describe('with a block duration (the guard defaults it to the ttl)', () => {
    it('under the limit: not blocked, seconds to the window end rounded up', () => {
      expect(toThrottlerRecord({ hits: 2, expires_in_ms: 59_001, blocked_for_ms: null }, 3, 60_000)).toEqual({
        totalHits: 2,
        timeToExpire: 60,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
    });

    it('blocked: seconds to the block end rounded up', () => {
      expect(toThrottlerRecord({ hits: 4, expires_in_ms: 30_000, blocked_for_ms: 59_999.5 }, 3, 60_000)).toEqual({
        totalHits: 4,
        timeToExpire: 30,
        isBlocked: true,
        timeToBlockExpire: 60,
      });
    });
  });

  describe('without a block duration', () => {
    it('at the limit: not blocked', () => {
      expect(toThrottlerRecord({ hits: 3, expires_in_ms: 10_000, blocked_for_ms: null }, 3, 0)).toEqual({
        totalHits: 3,
        timeToExpire: 10,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
    });

    it('past the limit: blocked until the window ends, counted as limit + 1 however many were refused', () => {
      expect(toThrottlerRecord({ hits: 9, expires_in_ms: 10_000, blocked_for_ms: null }, 3, 0)).toEqual({
        totalHits: 4,
        timeToExpire: 10,
        isBlocked: true,
        timeToBlockExpire: 10,
      });
    });
  });
});

describe('PostgresThrottlerStorage', () => {
  const stub = () => {
    const calls: { sql: string; params?: unknown[] }[] = [];
    const dataSource = {
      query: async (sql: string, params?: unknown[]) => {
        calls.push({ sql, params });
        return sql === PURGE_SQL ? [[], 0] : [{ hits: 1, expires_in_ms: 60_000, blocked_for_ms: null }];
      },
    } as unknown as DataSource;
    return { calls, dataSource };
  };

  it('sends the keyed hash, never the given key, with ttl, limit and block duration', async () => {
    const { calls, dataSource } = stub();
    const record = await new PostgresThrottlerStorage(dataSource, SECRET, Number.POSITIVE_INFINITY).increment(guardKey('::1'), 60_000, 3, 60_000, 'login');
    expect(record).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(calls).toEqual([{ sql: INCREMENT_SQL, params: [rateLimitKey(SECRET, 'login', guardKey('::1')), 'login', 60_000, 3, 60_000] }]);
  });

  it('purges after the increment when the draw says so (always, one in one)', async () => {
    const { calls, dataSource } = stub();
    await new PostgresThrottlerStorage(dataSource, SECRET, 1).increment('k', 1_000, 3, 1_000, 'login');
    expect(calls.map((c) => c.sql)).toEqual([INCREMENT_SQL, PURGE_SQL]);
  });

  it('a failed purge does not fail the increment', async () => {
    const dataSource = {
      query: async (sql: string) => {
        if (sql === PURGE_SQL) throw new Error('boom');
        return [{ hits: 1, expires_in_ms: 1_000, blocked_for_ms: null }];
      },
    } as unknown as DataSource;
    const storage = new PostgresThrottlerStorage(dataSource, SECRET, 1);
    jest.spyOn(storage['logger'], 'warn').mockImplementation(() => undefined);
    await expect(storage.increment('k', 1_000, 3, 1_000, 'login')).resolves.toMatchObject({ totalHits: 1 });
  });
});
