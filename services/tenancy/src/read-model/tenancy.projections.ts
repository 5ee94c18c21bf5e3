import { type EventStore, type RecordedEvent, categoryOf } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource, EntityManager } from 'typeorm';
import { projectApiKeyEvent, projectApiKeySecretEvent } from '../apikey/apikey.projection';
import { projectPlanEvent } from '../plan/plan.projection';
import { projectTenantEvent } from '../tenant/tenant.projection';
import { projectUserEvent } from '../user/user.projection';

/** Checkpoint name; a new name (v2) rebuilds the read model from the first event. */
export const TENANCY_READ_MODEL = 'tenancy-read-model-v1';

const projections: Record<string, (event: RecordedEvent, manager: EntityManager) => Promise<void>> = {
  plan: projectPlanEvent,
  user: projectUserEvent,
  tenant: projectTenantEvent,
  apikey: projectApiKeyEvent,
  // Private, but needed to verify keys by secret; emailclaim and credential are never projected.
  apikeysecret: projectApiKeySecretEvent,
};

export const PROJECTED_CATEGORIES = Object.keys(projections);

export function projectTenancyEvent(event: RecordedEvent, manager: EntityManager): Promise<void> {
  return projections[categoryOf(event.streamId)]?.(event, manager) ?? Promise.resolve();
}

export function startTenancyReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError: (error: unknown) => void,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name: TENANCY_READ_MODEL,
    filter: { categories: PROJECTED_CATEGORIES },
    handle: projectTenancyEvent,
    onError,
  });
}
