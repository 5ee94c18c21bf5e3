import type { EventStore } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { projectReplicationEvent } from './replication.projection';

/**
 * Checkpoint name of the replications view: a consumer of its own, so a rebuild of it
 * leaves the repositories' alone (and the other way round).
 */
export const REPLICATION_READ_MODEL = 'images-replication-read-model-v1';

export function startReplicationReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError: (error: unknown) => void,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name: REPLICATION_READ_MODEL,
    filter: { categories: ['replication'] },
    handle: projectReplicationEvent,
    onError,
  });
}
