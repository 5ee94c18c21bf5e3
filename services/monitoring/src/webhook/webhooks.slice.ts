import type { EventStore } from '@caas/event-store';
import { ReadYourWrites } from '@caas/read-model';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { PURGE_INTERVAL_MS, purgeOldDeliveries } from '../delivery/delivery-retention';
import { deliveryEnqueuer } from '../delivery/delivery-enqueuer';
import { PollingLoop } from '../delivery/polling-loop';
import { RedeliveryWorker } from '../delivery/redelivery-worker';
import { WebhookDispatcher } from '../delivery/webhook-dispatcher';
import type { MonitoringConfig } from '../monitoring.config';
import { WebhookSecrets } from './webhook-secrets';
import { startWebhookReadModel } from './webhook.read-model';
import { webhookSettingsOf } from './webhook.settings';

export interface WebhooksSliceDependencies {
  readonly config: MonitoringConfig;
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly nc: NatsConnection;
  readonly pool: Pool;
  readonly report: (what: string) => (error: unknown) => void;
}

export interface RunningWebhooksSlice {
  /** For the handlers: a command answers once the webhooks view shows its change. */
  readonly readYourWrites: ReadYourWrites;
  /** Stops everything, in reverse order. */
  stop(): Promise<void>;
}

/**
 * Everything of the webhooks slice that runs on its own (the handlers are Nest's): the
 * webhooks view, the enqueuer on CAAS_EVENTS, the dispatcher and the redelivery worker.
 */
export async function startWebhooksSlice(slice: WebhooksSliceDependencies): Promise<RunningWebhooksSlice> {
  const { config, store, dataSource, nc, pool, report } = slice;
  const settings = webhookSettingsOf(config.webhooks);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const readModel = await startWebhookReadModel(store, dataSource, report('webhooks read model'));
    stops.push(() => readModel.stop());
    const enqueuer = deliveryEnqueuer(nc, pool, report('webhook enqueuer'));
    await enqueuer.start();
    stops.push(() => enqueuer.stop());
    const dispatcher = new WebhookDispatcher(pool, new WebhookSecrets(store), settings, report('webhook dispatcher'));
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    const redeliveries = new RedeliveryWorker(nc, pool, settings.pollMs, report('webhook redeliveries'));
    redeliveries.start();
    stops.push(() => redeliveries.stop());
    const purge = new PollingLoop(
      async () => void (await purgeOldDeliveries(pool, settings.keepDeliveriesDays)),
      PURGE_INTERVAL_MS,
      report('webhook delivery purge'),
    );
    purge.start();
    stops.push(() => purge.stop());
    return { readYourWrites: new ReadYourWrites(store, readModel), stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
