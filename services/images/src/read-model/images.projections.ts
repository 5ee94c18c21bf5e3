import type { EventStore } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { projectRepositoryEvent } from '../repository/repository.projection';

/** Checkpoint name; a new name (v2) rebuilds the read model from the first event. */
export const IMAGES_READ_MODEL = 'images-read-model-v1';

export function startImagesReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError: (error: unknown) => void,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name: IMAGES_READ_MODEL,
    filter: { categories: ['repository'] },
    handle: projectRepositoryEvent,
    onError,
  });
}
