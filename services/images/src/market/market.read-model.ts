import type { EventStore } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { projectSubmissionEvent } from './submission.projection';

/**
 * Checkpoint name of the submissions read model. A consumer of its own (not a category
 * added to the repositories' one), so a rebuild of either leaves the other alone.
 */
export const MARKET_READ_MODEL = 'images-market-read-model-v1';

export function startMarketReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError: (error: unknown) => void,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name: MARKET_READ_MODEL,
    filter: { categories: ['submission'] },
    handle: projectSubmissionEvent,
    onError,
  });
}
