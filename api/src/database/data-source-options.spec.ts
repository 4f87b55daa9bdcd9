import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { dataSourceOptions } from './data-source-options';

describe('dataSourceOptions', () => {
  const primary = 'postgres://app@primary:5432/passerelle';

  it('connects to the primary alone without replicas', () => {
    const options = dataSourceOptions(primary) as PostgresDataSourceOptions;
    expect(options.url).toBe(primary);
    expect(options.replication).toBeUndefined();
    expect(options.extra).toEqual({ max: 10, application_name: 'passerelle' });
    expect(dataSourceOptions(primary, []) as PostgresDataSourceOptions).toEqual(options);
  });

  it('with replicas, keeps implicit reads on the primary: only explicit slave query runners use a replica', () => {
    const replicas = ['postgres://app@replica-1:5432/passerelle', 'postgres://app@replica-2:5432/passerelle'];
    const options = dataSourceOptions(primary, replicas) as PostgresDataSourceOptions;
    expect(options.url).toBeUndefined();
    expect(options.replication).toEqual({ master: { url: primary }, slaves: replicas.map((url) => ({ url })), defaultMode: 'master' });
    // The pool settings apply to every pool: the primary's and each replica's.
    expect(options.extra).toEqual({ max: 10, application_name: 'passerelle' });
  });
});
