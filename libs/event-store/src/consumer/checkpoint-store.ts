import type { Position } from '../types';

/**
 * Where a consumer keeps its checkpoint: in the same database, and the same
 * transaction, as the read model it writes — that is what makes a crash harmless.
 */
export interface CheckpointStore<Tx> {
  load(consumer: string): Promise<Position | undefined>;
  /**
   * Runs `work` in one transaction that holds the consumer's checkpoint row locked,
   * passing the checkpoint as stored, and commits only if `work` resolves. The lock
   * stops two instances of one consumer from applying the same event twice.
   */
  transaction<T>(consumer: string, work: (tx: Tx, checkpoint: Position | undefined) => Promise<T>): Promise<T>;
  save(tx: Tx, consumer: string, position: Position): Promise<void>;
}
