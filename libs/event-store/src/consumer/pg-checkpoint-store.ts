import type { Pool, PoolClient } from 'pg';
import { migrate } from '../postgres/migrate';
import type { Position } from '../types';
import type { CheckpointStore } from './checkpoint-store';

const checkpointMigrations = [
  {
    version: 1,
    name: 'checkpoints',
    sql: `create table consumers.checkpoints (
            consumer         text primary key,
            commit_position  numeric(20) not null,
            prepare_position numeric(20) not null,
            updated_at       timestamptz not null default now())`,
  },
];

/** Checkpoints in the read model's own PostgreSQL database (schema `consumers`). Call `load` before `transaction`. */
export class PgCheckpointStore implements CheckpointStore<PoolClient> {
  private constructor(private readonly pool: Pool) {}

  static async create(pool: Pool): Promise<PgCheckpointStore> {
    await migrate(pool, 'consumers', checkpointMigrations);
    return new PgCheckpointStore(pool);
  }

  async load(consumer: string): Promise<Position | undefined> {
    // Create the row up front so every later transaction has something to lock.
    await this.pool.query(
      `insert into consumers.checkpoints (consumer, commit_position, prepare_position)
       values ($1, -1, -1) on conflict (consumer) do nothing`,
      [consumer],
    );
    return toPosition((await this.pool.query(SELECT, [consumer])).rows[0]);
  }

  async transaction<T>(
    consumer: string,
    work: (tx: PoolClient, checkpoint: Position | undefined) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const checkpoint = toPosition((await client.query(`${SELECT} for update`, [consumer])).rows[0]);
      const result = await work(client, checkpoint);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async save(tx: PoolClient, consumer: string, position: Position): Promise<void> {
    await tx.query(
      `update consumers.checkpoints set commit_position = $2, prepare_position = $3, updated_at = now()
        where consumer = $1`,
      [consumer, position.commit.toString(), position.prepare.toString()],
    );
  }
}

const SELECT = 'select commit_position::text, prepare_position::text from consumers.checkpoints where consumer = $1';

function toPosition(row: { commit_position: string; prepare_position: string } | undefined): Position | undefined {
  if (!row || row.commit_position === '-1') return undefined;
  return { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
}
