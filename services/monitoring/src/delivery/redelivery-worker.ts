import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { enabledWebhooks, enqueueDeliveries } from './delivery-queue';
import { eventsInRange } from './events-range';
import { PollingLoop } from './polling-loop';

interface RedeliveryRow {
  redelivery_id: string;
  webhook_id: string;
  tenant_id: string;
  from_sequence: string;
  to_sequence: string;
}

/** A worker that died while queueing lets its redelivery go after this; another starts it over. */
const LEASE_SECONDS = 120;

/**
 * Turns each WebhookRedeliveryRequested (a `webhook_redeliveries` row the read model
 * wrote with its checkpoint) into deliveries: the tenant's events in the range that the
 * webhook's filters take, queued under the redelivery's id. Started over after a crash,
 * it queues nothing twice (delivery ids derive from webhook, event and redelivery).
 */
export class RedeliveryWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly nc: NatsConnection,
    private readonly pool: Pool,
    pollMs: number,
    onError: (error: unknown) => void,
  ) {
    // Each round queues every pending redelivery, one after the other, until stopped.
    this.loop = new PollingLoop(
      async () => {
        while (!this.loop.stopped.aborted && (await this.queueNext()));
      },
      pollMs,
      onError,
    );
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Queues one pending redelivery; false when there is none. */
  private async queueNext(): Promise<boolean> {
    const { rows } = await this.pool.query<RedeliveryRow>(
      `update monitoring.webhook_redeliveries r set leased_until = now() + make_interval(secs => $1)
        where r.redelivery_id = (
          select redelivery_id from monitoring.webhook_redeliveries
           where status = 'pending' and (leased_until is null or leased_until < now())
           order by requested_at limit 1 for update skip locked)
        returning r.redelivery_id, r.webhook_id, r.tenant_id, r.from_sequence, r.to_sequence`,
      [LEASE_SECONDS],
    );
    const [redelivery] = rows;
    if (!redelivery) return false;
    const { redelivery_id: redeliveryId, tenant_id: tenantId } = redelivery;
    const targets = await enabledWebhooks(this.pool, tenantId, redelivery.webhook_id);
    let queued = 0;
    if (targets.length > 0) {
      const from = Number(redelivery.from_sequence);
      const to = Number(redelivery.to_sequence);
      for await (const events of eventsInRange(this.nc, from, to)) {
        queued += await enqueueDeliveries(this.pool, tenantId, targets, events, redeliveryId);
      }
    }
    // Disabled or removed meanwhile: nothing to send, done all the same.
    await this.pool.query(
      `update monitoring.webhook_redeliveries set status = 'queued', queued = queued + $2, leased_until = null
        where redelivery_id = $1`,
      [redeliveryId, queued],
    );
    return true;
  }
}
