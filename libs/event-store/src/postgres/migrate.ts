import type { Pool } from 'pg';
import { initialSchema } from './migrations/001-initial-schema';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Append-only: never edit a released migration, add the next one. */
const eventStoreMigrations: readonly Migration[] = [{ version: 1, name: 'initial-schema', sql: initialSchema }];

export function migrateEventStore(pool: Pool): Promise<void> {
  return migrate(pool, 'es', eventStoreMigrations);
}

/**
 * Applies the pending migrations of one schema in a single transaction, tracked in
 * `<schema>.migrations`. An advisory lock makes concurrent starters (several service
 * instances, parallel test files) take turns.
 */
export async function migrate(pool: Pool, schema: string, migrations: readonly Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`caas.migrations.${schema}`]);
    await client.query(`create schema if not exists ${schema}`);
    await client.query(`create table if not exists ${schema}.migrations (
      version int primary key, name text not null, applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ version: number }>(`select version from ${schema}.migrations`);
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of migrations.filter((m) => !applied.has(m.version))) {
      await client.query(migration.sql);
      await client.query(`insert into ${schema}.migrations (version, name) values ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
