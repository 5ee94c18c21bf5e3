import { DataSource, type DataSourceOptions } from 'typeorm';
import { withAdvisoryLock } from './advisory-lock';

export interface ReadModelDatabaseOptions {
  readonly url: string;
  /** The service's own schema; its entities and migration table live there. */
  readonly schema: string;
  readonly entities: NonNullable<DataSourceOptions['entities']>;
  readonly migrations: NonNullable<DataSourceOptions['migrations']>;
  readonly poolSize?: number;
}

/**
 * A service's read-model database: entities and their migration table in the
 * service's schema, schema changes by migrations only (never `synchronize`).
 */
export async function openReadModelDatabase(options: ReadModelDatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: { max: options.poolSize ?? 10 },
  });
  await dataSource.initialize();
  try {
    await migrateExclusively(dataSource, options.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * TypeORM does not lock while migrating, and several instances (and parallel test
 * files) start at once: a session advisory lock makes them take turns. The schema
 * must exist before TypeORM creates its migration table in it.
 */
async function migrateExclusively(dataSource: DataSource, schema: string): Promise<void> {
  await withAdvisoryLock(dataSource, `caas.migrations.${schema}`, async (runner) => {
    await runner.query(`create schema if not exists ${schema}`);
    await dataSource.runMigrations({ transaction: 'all' });
  });
}
