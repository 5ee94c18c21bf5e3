import { delay } from '@caas/event-store';
import type { DataSource, QueryRunner } from 'typeorm';

/** How long a caller waits before trying a taken lock again. */
const RETRY_MS = 20;

/**
 * Runs `work` holding a PostgreSQL session advisory lock named `key`, on a connection of
 * its own (passed to `work`), so instances of a service sharing the database take turns:
 * migrations at start, a check-then-write that must not race (a per-tenant limit).
 * Waiters try again every few ms instead of blocking in PostgreSQL, so they hold no pool
 * connection while they wait: the holder's work can always get the connections it needs.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: string,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  for (;;) {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query('select pg_try_advisory_lock(hashtext($1)) as locked', [key]);
      if (locked) {
        try {
          return await work(runner);
        } finally {
          await runner.query('select pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
        }
      }
    } finally {
      await runner.release();
    }
    await delay(RETRY_MS);
  }
}
