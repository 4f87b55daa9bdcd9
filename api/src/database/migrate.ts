import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * The advisory lock that serialises migration runs on one database (class 0: the schema). Several
 * API processes starting a new version at once — behind a load balancer, every process migrates at
 * boot (main.ts) — would otherwise apply the same migration concurrently: TypeORM takes no lock, so
 * the second CREATE TABLE fails and its process exits, and a data migration could run twice. With
 * the lock, the first process applies them; the others wait, then find nothing pending.
 */
export const MIGRATION_LOCK = [0, 1] as const;

/** Applies pending migrations (each in its own transaction) before the app starts; one run at a time per database. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  // A session-level lock on a connection of its own, held while the migrations run on others.
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query(`SELECT pg_advisory_lock($1, $2)`, [...MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await lock.query(`SELECT pg_advisory_unlock($1, $2)`, [...MIGRATION_LOCK]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}
