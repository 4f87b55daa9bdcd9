import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';
import { hashToken } from './tokens';

/** @nestjs/throttler's record (not exported by the package's index). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** What `increment` reads back from its row (times relative to the database's now()). */
export interface RateLimitRow {
  hits: number;
  /** Until the window's end, in ms. */
  expires_in_ms: number;
  /** Until the block's end, in ms; null when the row is not blocked. */
  blocked_for_ms: number | null;
}

/**
 * The stored key: a keyed hash of the throttler's name and key. The guard's key is already a SHA-256
 * of the route and the client's IP address, but a plain hash of an IPv4 address is reversed by
 * enumerating the 2³² of them; keyed with the secret (SESSION_SECRET, shared by every process), the
 * table holds nothing that leads back to an address. The name is part of it, so that two throttlers
 * never share a row whatever key generator they use.
 */
export const rateLimitKey = (secret: string, throttlerName: string, key: string): string =>
  hashToken(secret, `rate-limit ${JSON.stringify([throttlerName, key])}`);

/**
 * The record the guard expects, from the row as `increment` left it. With a block duration (the
 * guard's default is the ttl) the row is blocked once a hit passes the limit, until `blocked_until`;
 * without one, a hit past the limit is refused for the rest of the window and counted as limit + 1,
 * as the in-memory storage does. `timeToBlockExpire` is 0 when not blocked (the guard reads it only
 * when blocked; the in-memory storage returns a negative number there).
 */
export function toThrottlerRecord(row: RateLimitRow, limit: number, blockDuration: number): ThrottlerStorageRecord {
  const timeToExpire = Math.ceil(row.expires_in_ms / 1000);
  if (blockDuration > 0) {
    const isBlocked = row.blocked_for_ms !== null;
    return { totalHits: row.hits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? Math.ceil((row.blocked_for_ms as number) / 1000) : 0 };
  }
  const isBlocked = row.hits > limit;
  return { totalHits: Math.min(row.hits, limit + 1), timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0 };
}

/**
 * One atomic statement per hit. $1 key, $2 throttler name, $3 ttl (ms), $4 limit, $5 block duration (ms).
 * All times are the database's now() (one value for the whole statement), so that processes whose
 * clocks differ still share one window. Concurrent hits on one key queue on the row's lock, and
 * ON CONFLICT DO UPDATE applies each to the latest committed row (READ COMMITTED): no hit is lost.
 *
 * A fixed window: the first hit opens it for ttl, and it is reset by the first hit after its end.
 * (The in-memory storage of @nestjs/throttler 6.7 expires each hit on its own, a sliding log that
 * would take one row per hit; the Redis storages count a fixed window as here.) With a block
 * duration, the hit that passes the limit blocks the key for that duration; hits while blocked are
 * not counted; the first hit after the block's end counts 1 in a window opened anew if the old one
 * is over, as in memory. Without one (block duration ≤ 0), hits past the limit are refused until the
 * window's end. A limit below 1 blocks every hit.
 */
export const INCREMENT_SQL = `
  INSERT INTO rate_limit AS r (key, throttler, hits, expires_at, blocked_until)
  VALUES ($1, $2, 1, now() + $3::float8 * interval '1 millisecond',
          CASE WHEN $5::float8 > 0 AND 1 > $4::int THEN now() + $5::float8 * interval '1 millisecond' END)
  ON CONFLICT (key) DO UPDATE SET
    throttler = EXCLUDED.throttler,
    hits = CASE
      WHEN r.blocked_until > now() THEN r.hits
      WHEN r.blocked_until IS NOT NULL OR r.expires_at <= now() THEN 1
      ELSE r.hits + 1
    END,
    expires_at = CASE WHEN r.expires_at <= now() THEN EXCLUDED.expires_at ELSE r.expires_at END,
    blocked_until = CASE
      WHEN r.blocked_until > now() THEN r.blocked_until
      WHEN r.blocked_until IS NOT NULL OR r.expires_at <= now() THEN EXCLUDED.blocked_until
      WHEN $5::float8 > 0 AND r.hits + 1 > $4::int THEN now() + $5::float8 * interval '1 millisecond'
    END
  RETURNING hits,
            (extract(epoch FROM expires_at - now()) * 1000)::float8 AS expires_in_ms,
            CASE WHEN blocked_until > now() THEN (extract(epoch FROM blocked_until - now()) * 1000)::float8 END AS blocked_for_ms`;

/** Rows whose window and block are both over: they count for nothing (rate_limit_purge_idx). */
export const PURGE_SQL = `DELETE FROM rate_limit WHERE greatest(expires_at, blocked_until) < now()`;

/**
 * The throttler's storage in PostgreSQL (table `rate_limit`, migration 1765200000000-RateLimit):
 * every API process on the database shares one count per client, and a restart keeps it. Writes go
 * to the primary (the DataSource's default). About one increment in `purgeOneIn` also deletes the
 * rows that are over, so that the table stays the size of the last window's clients.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');

  constructor(
    private readonly dataSource: DataSource,
    private readonly secret: string,
    private readonly purgeOneIn = 100,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const rows: RateLimitRow[] = await this.dataSource.query(INCREMENT_SQL, [rateLimitKey(this.secret, throttlerName, key), throttlerName, ttl, limit, blockDuration]);
    if (Math.random() * this.purgeOneIn < 1) await this.purgeExpired();
    return toThrottlerRecord(rows[0], limit, blockDuration);
  }

  /** Deletes the rows that are over; never fails the request that triggered it. Returns how many. */
  async purgeExpired(): Promise<number> {
    try {
      const [, deleted] = (await this.dataSource.query(PURGE_SQL)) as [unknown, number];
      return deleted;
    } catch (error) {
      this.logger.warn(`purge of rate_limit failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
