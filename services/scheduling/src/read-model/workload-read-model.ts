import { type EventStore, type RecordedEvent, categoryOf } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource, EntityManager } from 'typeorm';
import { projectContainerEvent, projectPlacementEvent } from '../container/container.projection';
import { projectServiceEvent } from '../service/service.projection';

/**
 * Checkpoint name; a new name (v2) rebuilds the tables from the first event. One
 * consumer for containers and services: a service's running replicas are counted
 * from the containers table, so both move forward together under one checkpoint.
 */
export const WORKLOADS_READ_MODEL = 'scheduling-workloads-v1';

const PROJECTIONS: Record<string, (event: RecordedEvent, manager: EntityManager) => Promise<void>> = {
  container: projectContainerEvent,
  service: projectServiceEvent,
  placement: projectPlacementEvent,
};

/** Applies one event of the `container`, `service` or `placement` categories; others are ignored. */
export async function projectWorkloadEvent(event: RecordedEvent, manager: EntityManager): Promise<void> {
  await PROJECTIONS[categoryOf(event.streamId)]?.(event, manager);
}

export function startWorkloadReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError?: (error: unknown) => void,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name: WORKLOADS_READ_MODEL,
    filter: { categories: Object.keys(PROJECTIONS) },
    handle: projectWorkloadEvent,
    onError,
  });
}
