import { DataSourceOptions } from 'typeorm';
import { migrations } from '@passerelle/migrations';
import { entities } from './entities';

/**
 * The one description of Passerelle's database, shared by the app, the TypeORM CLI
 * (api/src/database/cli-data-source.ts) and the tests. Schema changes only through migrations.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    extra: { max: 10, application_name: 'passerelle' },
  };
}
