export * from './types';
export * from './errors';
export * from './position';
export * from './stream-name';
export * from './event-store.port';
export { ResubscribingSubscription, type ResubscribeOptions } from './resubscribing-subscription';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { migrate, migrateEventStore, type Migration } from './postgres/migrate';
export type { CheckpointStore } from './consumer/checkpoint-store';
export { PgCheckpointStore } from './consumer/pg-checkpoint-store';
export {
  CheckpointedConsumer,
  type CheckpointedConsumerOptions,
  type EventHandlers,
} from './consumer/checkpointed-consumer';
export { connectEventStore } from './connect';
export { collect } from './collect';
export { delay, exponentialBackoff } from './backoff';
export {
  CHECKPOINT_SQL,
  checkpointMigrations,
  checkpointValues,
  toCheckpointPosition,
} from './consumer/checkpoint-table';
