import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a read that tolerates replication lag on a PostgreSQL streaming replica (DATABASE_REPLICA_URLS),
 * or on the primary when no replica is configured: one connection, one READ ONLY transaction at
 * `isolation`, released at the end. The reports (indicators) and the directory search use it;
 * nothing else reads from a replica (dataSourceOptions keeps TypeORM's implicit routing on the primary).
 *
 * What `work` sees may lag the primary by the replica's replay delay (usually under a second), so a
 * caller never reads back its own writes here. `manager` is bound to the replica and is read-only:
 * audit rows and any other write go through the DataSource's own manager (the primary), outside `work`.
 */
export async function lagTolerant<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolation: 'READ COMMITTED' | 'REPEATABLE READ' = 'READ COMMITTED',
): Promise<T> {
  // 'slave' picks a random replica's pool; TypeORM falls back to the primary without replication.
  const runner = dataSource.createQueryRunner('slave');
  try {
    await runner.startTransaction(isolation);
    try {
      await runner.query('SET TRANSACTION READ ONLY');
      const result = await work(runner.manager);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}
