/**
 * Public events of the monitoring context, published on JetStream as
 * `caas.events.monitoring.<type>` (stream `webhook-<webhookId>`). Version 1. The secret
 * is never in them: it is recorded in the private stream `webhooksecret-<webhookId>`.
 */
export type MonitoringEvent =
  | {
      type: 'WebhookRegistered';
      data: {
        tenantId: string;
        webhookId: string;
        url: string;
        /** `*`, an exact event type, or a prefix ending in `*` (`Container*`). */
        eventTypes: string[];
        description: string;
        registeredAt: string;
      };
    }
  | {
      type: 'WebhookUpdated';
      data: {
        tenantId: string;
        webhookId: string;
        url: string;
        eventTypes: string[];
        description: string;
        enabled: boolean;
      };
    }
  | { type: 'WebhookSecretRotated'; data: { tenantId: string; webhookId: string; rotatedAt: string } }
  | { type: 'WebhookRemoved'; data: { tenantId: string; webhookId: string } }
  | {
      type: 'WebhookRedeliveryRequested';
      data: {
        tenantId: string;
        webhookId: string;
        redeliveryId: string;
        /** First CAAS_EVENTS sequence to deliver again. */
        fromSequence: number;
        /** Last sequence to deliver again: the stream's last when it was asked. */
        toSequence: number;
      };
    };

export type MonitoringEventType = MonitoringEvent['type'];
