import type { EventStore } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { projectWebhookEvent } from './webhook.projection';

/** Checkpoint name of the webhooks view (shared by every monitoring instance). */
export const WEBHOOK_READ_MODEL = 'monitoring-webhooks-read-model-v1';

export function startWebhookReadModel(
  store: EventStore,
  dataSource: DataSource,
  onError: (error: unknown) => void,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name: WEBHOOK_READ_MODEL,
    filter: { categories: ['webhook'] },
    handle: projectWebhookEvent,
    onError,
  });
}
