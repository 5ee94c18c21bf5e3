import { CAAS_HEADERS } from '@caas/messaging/src/jetstream/integration-event';
import { contextSubjects } from '@caas/messaging/src/jetstream/subjects';
import type { NatsConnection, Subscription } from 'nats';
import type { TenancyClient } from './tenancy-client';

/**
 * Keeps TenancyClient's remembered answers true: any event tenancy publishes about a
 * tenant (plan changed, environment created or deleted, member removed, tenant
 * suspended…) makes this instance forget what it remembered of that tenant.
 *
 * A plain subscription to the subjects tenancy's relay publishes on, not a JetStream
 * consumer: every instance needs every event, nothing is handled twice by design, and
 * nothing needs replaying — what is forgotten is simply asked again. A message that may
 * have been lost (a disconnect, a reconnect, an error such as a slow-consumer drop)
 * makes it forget everything.
 */
export class TenancyChanges {
  private subscription?: Subscription;

  constructor(
    private readonly nc: NatsConnection,
    private readonly tenancy: TenancyClient,
  ) {}

  start(): void {
    this.subscription = this.nc.subscribe(contextSubjects('tenancy'), {
      callback: (error, msg) => {
        const tenantId = msg?.headers?.get(CAAS_HEADERS.tenantId);
        if (error) this.tenancy.forgetAll();
        else if (tenantId) this.tenancy.forgetTenant(tenantId);
      },
    });
    // Ends with the connection.
    void this.watchStatus();
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (['disconnect', 'reconnect', 'error'].includes(status.type)) this.tenancy.forgetAll();
    }
  }
}
