import type { EventStore } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { projectMeterEvent } from '../metering/hourly-usage.projection';
import { projectMeterState } from '../metering/meters.projection';

/** Checkpoint name; a new name rebuilds the hourly rows from the first meter event. */
export const METERING_READ_MODEL = 'billing-metering-v1';

export function startMeteringReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError: (error: unknown) => void,
  name = METERING_READ_MODEL,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name,
    filter: { categories: ['meter'] },
    handle: async (event, manager) => {
      await projectMeterEvent(event, manager);
      await projectMeterState(event, manager);
    },
    onError,
  });
}
