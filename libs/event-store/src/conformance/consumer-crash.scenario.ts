import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { EventStore } from '../event-store.port';
import { eventually, newCategory, newStream, someEvents } from './test-kit';

const FIXTURE = join(__dirname, 'fixtures', 'consumer-process.ts');
const TOTAL = 300;

/**
 * Runs a checkpointed consumer in a child process, SIGKILLs it twice while it is
 * applying events, restarts it each time, and checks that the read model counted
 * every event exactly once.
 */
export async function runConsumerCrashScenario(options: {
  store: EventStore;
  childEnv: Record<string, string>;
  readModelDatabaseUrl: string;
}): Promise<void> {
  const category = newCategory();
  const table = `applied_${category}`;
  const pool = new Pool({ connectionString: options.readModelDatabaseUrl, max: 2 });
  const children: ChildProcess[] = [];
  try {
    await pool.query(`create table ${table} (event_id uuid primary key, times int not null)`);
    const events = someEvents(TOTAL);
    for (let i = 0; i < TOTAL; i += 30)
      await options.store.appendToStream(newStream(category), events.slice(i, i + 30));

    const count = async () => Number((await pool.query(`select count(*) from ${table}`)).rows[0].count);
    const startChild = () => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
        env: { ...process.env, ...options.childEnv, CONSUMER_CATEGORY: category, CONSUMER_TABLE: table },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      children.push(child);
      return child;
    };
    // A child that dies on its own (bad config, crash) fails the test at once instead of timing out.
    const progress = (child: ChildProcess, target: (n: number) => boolean) =>
      eventually(async () => {
        if (child.exitCode !== null) throw new Error(`consumer process exited with code ${child.exitCode}`);
        return target(await count()) ? true : undefined;
      }, 60_000);

    for (const killAt of [60, 180]) {
      const child = startChild();
      await progress(child, (n) => n >= killAt);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect(await count()).toBeLessThan(TOTAL);
    }

    await progress(startChild(), (n) => n === TOTAL);
    // Give a buggy consumer time to double-apply before judging.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { rows } = await pool.query(`select count(*)::int as events, sum(times)::int as applications from ${table}`);
    expect(rows[0]).toEqual({ events: TOTAL, applications: TOTAL });
    const applied = await pool.query(`select event_id from ${table}`);
    expect(new Set(applied.rows.map((row) => row.event_id))).toEqual(new Set(events.map((e) => e.id)));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await pool.query(`drop table if exists ${table}`).catch(() => undefined);
    await pool.end();
  }
}
