import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TypeOrmCheckpointStore } from './typeorm-checkpoint-store';

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');

describe('TypeOrmCheckpointStore (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let checkpoints: TypeOrmCheckpointStore;
  const consumer = `test-checkpoint-${randomUUID()}`;

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'postgres', url }).initialize();
    checkpoints = await TypeOrmCheckpointStore.create(dataSource);
    // Creating it again (another instance starting) is a no-op.
    await TypeOrmCheckpointStore.create(dataSource);
  });
  afterAll(async () => {
    await dataSource?.query('delete from consumers.checkpoints where consumer = $1', [consumer]);
    await dataSource?.destroy();
  });

  it('starts empty, saves in the transaction, and keeps nothing from a rolled-back one', async () => {
    expect(await checkpoints.load(consumer)).toBeUndefined();
    await checkpoints.transaction(consumer, (tx) => checkpoints.save(tx, consumer, { commit: 10n, prepare: 3n }));
    expect(await checkpoints.load(consumer)).toEqual({ commit: 10n, prepare: 3n });

    const failed = checkpoints.transaction(consumer, async (tx) => {
      await checkpoints.save(tx, consumer, { commit: 99n, prepare: 1n });
      throw new Error('handler failed');
    });
    await expect(failed).rejects.toThrow('handler failed');
    expect(await checkpoints.load(consumer)).toEqual({ commit: 10n, prepare: 3n });
  });

  it('holds the row lock: a second transaction waits and then sees what the first saved', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = checkpoints.transaction(consumer, async (tx) => {
      await checkpoints.save(tx, consumer, { commit: 20n, prepare: 0n });
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const seenBySecond = checkpoints.transaction(consumer, async (_tx, checkpoint) => checkpoint);
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await first;
    expect(await seenBySecond).toEqual({ commit: 20n, prepare: 0n });
  });
});
