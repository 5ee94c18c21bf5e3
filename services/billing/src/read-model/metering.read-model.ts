import { recordedAs } from '@caas/domain';
import type { EventStore, RecordedEvent } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource, EntityManager } from 'typeorm';
import { hourlyUsageChanges, writeHourlyUsage } from '../metering/hourly-usage.projection';
import type { MeterEvent } from '../metering/meter.events';
import { meterStateChanges, writeMeterStateChanges } from '../metering/meters.projection';

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
    handleBatch: projectMeterBatch,
    onError,
  });
}

/**
 * Applies a batch of meter events in a handful of statements instead of one or two per
 * event (bench/billing: the per-event version is far below a replay's needs). Gives
 * the same rows as applying them one by one (metering.read-model.spec.ts).
 */
export async function projectMeterBatch(recorded: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
  const events = recorded.map((event) => recordedAs<MeterEvent>(event));
  await writeHourlyUsage(manager, hourlyUsageChanges(events));
  await writeMeterStateChanges(manager, meterStateChanges(events));
}
