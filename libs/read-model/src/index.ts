export { TypeOrmCheckpointStore } from './typeorm-checkpoint-store';
export { ReadModelConsumer, ReadModelLagError, type ReadModelConsumerOptions } from './read-model-consumer';
export * from './read-model-database';
export { ReadYourWrites, type AppliedPositions } from './read-your-writes';
export { withAdvisoryLock } from './advisory-lock';
