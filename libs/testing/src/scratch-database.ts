import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface ScratchDatabase {
  /** A connection string to the new, empty database. */
  readonly url: string;
  /** Drops it (closing whatever is still connected). */
  drop(): Promise<void>;
}

/**
 * A fresh database on the test cluster (TEST_DATABASE_URL's server), for a test that
 * runs a whole scheduler: it folds every stream in its store and manages every host
 * registered there, so two such tests sharing one store would manage each other's hosts.
 */
export async function createScratchDatabase(prefix = 'caas_scratch'): Promise<ScratchDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin(base, (client) => client.query(`create database ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropDatabase(base, name),
  };
}

/** The drop's `with (force)` may not end an autovacuum worker: the test role lacks pg_signal_backend. */
const INSUFFICIENT_PRIVILEGE = '42501';
const DROP_PATIENCE_MS = 10_000;

/** Drops the database, trying again while a worker the test role cannot terminate holds it (it ends soon). */
async function dropDatabase(base: string, name: string): Promise<void> {
  const giveUpAt = Date.now() + DROP_PATIENCE_MS;
  for (;;) {
    try {
      await withAdmin(base, (client) => client.query(`drop database if exists ${name} with (force)`));
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== INSUFFICIENT_PRIVILEGE || Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function withAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
