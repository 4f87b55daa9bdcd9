import { DataSourceOptions } from 'typeorm';
import { migrations } from '@passerelle/migrations';
import { entities } from './entities';

/** Per pool (the primary's, and each replica's): its size and how the server names its sessions. */
const POOL = { max: 10, application_name: 'passerelle' };

/**
 * The one description of Passerelle's database, shared by the app, the TypeORM CLI
 * (api/src/database/cli-data-source.ts) and the tests. Schema changes only through migrations.
 *
 * With `replicaUrls` (DATABASE_REPLICA_URLS), TypeORM opens one pool on the primary and one per
 * streaming replica. Routing is explicit: `defaultMode: 'master'` keeps every query on the primary,
 * including the repository `find*` and QueryBuilder SELECTs run outside a transaction, which
 * TypeORM would otherwise send to a random replica (its default `defaultMode` is 'slave';
 * `query()`, transactions, writes and migrations always use the primary). Only the work passed to
 * `lagTolerant()` (api/src/database/read-replica.ts) reads from a replica.
 */
export function dataSourceOptions(url: string, replicaUrls: readonly string[] = []): DataSourceOptions {
  return {
    type: 'postgres',
    ...(replicaUrls.length > 0
      ? { replication: { master: { url }, slaves: replicaUrls.map((replica) => ({ url: replica })), defaultMode: 'master' as const } }
      : { url }),
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { ...POOL },
  };
}
