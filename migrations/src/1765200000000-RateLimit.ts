import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `rate_limit`: the counts of the login throttle (@nestjs/throttler), shared by every API process
 * on the database instead of each process's memory, so that N processes behind a load balancer
 * still allow a client LOGIN_RATE_LIMIT_PER_MINUTE attempts, not N times as many, and a restart
 * resets nothing (api/src/auth/postgres-throttler-storage.ts).
 *
 * One row per throttled client and route, a fixed window: `hits` in the window ending at
 * `expires_at`; `blocked_until` once the limit is passed. `key` is a keyed hash (HMAC with
 * SESSION_SECRET) of the throttler's own key, itself a SHA-256 of the route and the client's IP
 * address: enumerating the IPv4 addresses reverses a plain hash, so no address and no e-mail is
 * stored or derivable without the secret.
 *
 * UNLOGGED: no WAL for a row written on every login attempt, and not copied to the streaming
 * replicas (nothing reads it there). A crash of the server empties an unlogged table: what is lost
 * is at most one window of counts (a minute), as if every client's window had just started — the
 * limit itself is not weakened beyond that one window. Nothing else depends on the rows.
 *
 * `rate_limit_purge_idx` is on the instant the row stops mattering (the later of the window's end
 * and the block's end; greatest() ignores NULL): the storage's opportunistic purge deletes by a
 * range of it.
 */
export class RateLimit1765200000000 implements MigrationInterface {
  name = 'RateLimit1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit (
        key text PRIMARY KEY CONSTRAINT rate_limit_key_check CHECK (key ~ '^[0-9a-f]{64}$'),
        throttler text NOT NULL,
        hits integer NOT NULL CONSTRAINT rate_limit_hits_check CHECK (hits >= 0),
        expires_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
    await q.query(`CREATE INDEX rate_limit_purge_idx ON rate_limit ((greatest(expires_at, blocked_until)))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit`);
  }
}
