import { type CheckpointStore, type Migration, type Position, migrate } from '@caas/event-store';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The same table, tracked under the same schema version, as @caas/event-store's
 * PgCheckpointStore: both stores (and the JetStream relay) share `consumers.checkpoints`
 * in one database, so this list must stay identical to that one — append, never edit.
 */
const checkpointMigrations: readonly Migration[] = [
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

const SELECT = 'select commit_position::text, prepare_position::text from consumers.checkpoints where consumer = $1';

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
    // Create the row up front so every later transaction has something to lock.
    await this.dataSource.query(
      `insert into consumers.checkpoints (consumer, commit_position, prepare_position)
       values ($1, -1, -1) on conflict (consumer) do nothing`,
      [consumer],
    );
    return toPosition((await this.dataSource.query(SELECT, [consumer]))[0]);
  }

  transaction<T>(
    consumer: string,
    work: (tx: EntityManager, checkpoint: Position | undefined) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      // The row lock makes a second instance of the same consumer wait here, then see
      // (and skip) what the first one applied.
      const checkpoint = toPosition((await manager.query(`${SELECT} for update`, [consumer]))[0]);
      return work(manager, checkpoint);
    });
  }

  async save(tx: EntityManager, consumer: string, position: Position): Promise<void> {
    await tx.query(
      `update consumers.checkpoints set commit_position = $2, prepare_position = $3, updated_at = now()
        where consumer = $1`,
      [consumer, position.commit.toString(), position.prepare.toString()],
    );
  }
}

/** `migrate` runs on a pg Pool; TypeORM's postgres driver keeps its pool as `master`. */
function pgPoolOf(dataSource: DataSource): Pool {
  if (dataSource.options.type !== 'postgres') throw new Error('TypeOrmCheckpointStore needs a postgres DataSource');
  if (!dataSource.isInitialized) throw new Error('Initialize the DataSource before creating its checkpoint store');
  return (dataSource.driver as unknown as { master: Pool }).master;
}

function toPosition(row: { commit_position: string; prepare_position: string } | undefined): Position | undefined {
  if (!row || row.commit_position === '-1') return undefined;
  return { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
}
