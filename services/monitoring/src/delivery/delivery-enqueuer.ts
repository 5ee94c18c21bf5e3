import { EVENTS_SUBJECTS, JetStreamConsumer, toPublicEvent } from '@caas/messaging';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { LIVE, enabledWebhooks, enqueueDeliveries } from './delivery-queue';

/** The durable on CAAS_EVENTS that queues live deliveries (shared by every monitoring instance). */
export const DELIVERY_DURABLE = 'monitoring-webhook-deliveries';

/**
 * Every event on CAAS_EVENTS, as it arrives: one delivery per enabled webhook of the
 * event's tenant whose filters take it, inserted in the consumer's transaction (with
 * "this event was processed"), so a crash queues it exactly once. Events of no tenant
 * go nowhere.
 */
export function deliveryEnqueuer(nc: NatsConnection, pool: Pool, onError: (error: unknown) => void): JetStreamConsumer {
  return new JetStreamConsumer({
    nc,
    pool,
    durable: DELIVERY_DURABLE,
    filterSubjects: EVENTS_SUBJECTS,
    onError,
    handle: async (event, tx, delivery) => {
      const publicEvent = toPublicEvent(event, delivery);
      if (!publicEvent.tenantId) return;
      const targets = await enabledWebhooks(tx, publicEvent.tenantId);
      await enqueueDeliveries(tx, publicEvent.tenantId, targets, [publicEvent], LIVE);
    },
  });
}
