import {
  CHECKPOINT_SQL,
  type CheckpointStore,
  type Position,
  checkpointMigrations,
  checkpointValues,
  migrate,
  toCheckpointPosition,
} from '@caas/event-store';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Checkpoints in a TypeORM read model's own PostgreSQL database, written in the same
 * transaction (the `EntityManager` handed to the consumer's `handle`) as the rows the
 * read model changes: a crash commits both or neither. Call `load` before `transaction`.
 */
export class TypeOrmCheckpointStore implements CheckpointStore<EntityManager> {
  private constructor(private readonly dataSource: DataSource) {}

  static async create(dataSource: DataSource): Promise<TypeOrmCheckpointStore> {
    await migrate(pgPoolOf(dataSource), 'consumers', checkpointMigrations);
    return new TypeOrmCheckpointStore(dataSource);
  }

  async load(consumer: string): Promise<Position | undefined> {
    await this.dataSource.query(CHECKPOINT_SQL.ensureRow, [consumer]);
    return toCheckpointPosition((await this.dataSource.query(CHECKPOINT_SQL.select, [consumer]))[0]);
  }

  transaction<T>(
    consumer: string,
    work: (tx: EntityManager, checkpoint: Position | undefined) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      // The row lock makes a second instance of the same consumer wait here, then see
      // (and skip) what the first one applied.
      const checkpoint = toCheckpointPosition((await manager.query(CHECKPOINT_SQL.selectForUpdate, [consumer]))[0]);
      return work(manager, checkpoint);
    });
  }

  async save(tx: EntityManager, consumer: string, position: Position): Promise<void> {
    await tx.query(CHECKPOINT_SQL.save, checkpointValues(consumer, position));
  }
}

/** `migrate` runs on a pg Pool; TypeORM's postgres driver keeps its pool as `master`. */
function pgPoolOf(dataSource: DataSource): Pool {
  if (dataSource.options.type !== 'postgres') throw new Error('TypeOrmCheckpointStore needs a postgres DataSource');
  if (!dataSource.isInitialized) throw new Error('Initialize the DataSource before creating its checkpoint store');
  return (dataSource.driver as unknown as { master: Pool }).master;
}
