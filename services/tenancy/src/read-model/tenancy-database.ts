import { DataSource } from 'typeorm';
import { ApiKeyRow, ApiKeySecretRow } from '../apikey/apikey.projection';
import { PlanRow } from '../plan/plan.projection';
import { TENANT_ENTITIES } from '../tenant/tenant.projection';
import { UserRow } from '../user/user.projection';
import { TenancyReadModel1763769600000 } from './migrations/1763769600000-tenancy-read-model';

const SCHEMA = 'tenancy';

/**
 * The read model's database: entities and their migration table in schema `tenancy`,
 * schema changes by migrations only (never `synchronize`).
 */
export async function openTenancyDatabase(url: string): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema: SCHEMA,
    entities: [PlanRow, UserRow, ...TENANT_ENTITIES, ApiKeyRow, ApiKeySecretRow],
    migrations: [TenancyReadModel1763769600000],
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: { max: 10 },
  });
  await dataSource.initialize();
  try {
    await migrateExclusively(dataSource);
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
async function migrateExclusively(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = `caas.migrations.${SCHEMA}`;
  try {
    await runner.query('select pg_advisory_lock(hashtext($1))', [key]);
    await runner.query(`create schema if not exists ${SCHEMA}`);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await runner.query('select pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
    await runner.release();
  }
}
