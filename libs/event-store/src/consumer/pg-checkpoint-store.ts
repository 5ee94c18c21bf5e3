import type { Pool, PoolClient } from 'pg';
import { migrate } from '../postgres/migrate';
import type { Position } from '../types';
import type { CheckpointStore } from './checkpoint-store';
import { CHECKPOINT_SQL, checkpointMigrations, checkpointValues, toCheckpointPosition } from './checkpoint-table';

/** Checkpoints in the read model's own PostgreSQL database (schema `consumers`). Call `load` before `transaction`. */
export class PgCheckpointStore implements CheckpointStore<PoolClient> {
  private constructor(private readonly pool: Pool) {}

  static async create(pool: Pool): Promise<PgCheckpointStore> {
    await migrate(pool, 'consumers', checkpointMigrations);
    return new PgCheckpointStore(pool);
  }

  async load(consumer: string): Promise<Position | undefined> {
    await this.pool.query(CHECKPOINT_SQL.ensureRow, [consumer]);
    return toCheckpointPosition((await this.pool.query(CHECKPOINT_SQL.select, [consumer])).rows[0]);
  }

  async transaction<T>(
    consumer: string,
    work: (tx: PoolClient, checkpoint: Position | undefined) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const checkpoint = toCheckpointPosition((await client.query(CHECKPOINT_SQL.selectForUpdate, [consumer])).rows[0]);
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
    await tx.query(CHECKPOINT_SQL.save, checkpointValues(consumer, position));
  }
}
