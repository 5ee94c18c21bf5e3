import { CaasError, MAX_WEBHOOKS_PER_TENANT, conflict } from '@caas/contracts';
import { normalizedEventTypes } from './event-type-filter';
import type { WebhookEvent, WebhookState } from './webhook.events';
import { type WebhookCaller, requireManager } from './webhook.guards';

export interface RegisterWebhook {
  readonly kind: 'RegisterWebhook';
  readonly caller: WebhookCaller;
  readonly webhookId: string;
  /** Checked by the handler against the URL rules (webhook-url.ts). */
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description: string;
  /** The tenant's webhooks now (from the read model): at most MAX_WEBHOOKS_PER_TENANT. */
  readonly webhooksOfTenant: number;
  readonly at: string;
}

export function registerWebhook(command: RegisterWebhook, state: WebhookState): WebhookEvent[] {
  const { caller, webhookId, url, eventTypes, description, webhooksOfTenant, at } = command;
  requireManager(caller, 'register webhooks');
  if (state.exists) throw conflict(`Webhook '${webhookId}' already exists`, { webhookId });
  if (webhooksOfTenant >= MAX_WEBHOOKS_PER_TENANT) {
    throw new CaasError('quota_exceeded', `A tenant has at most ${MAX_WEBHOOKS_PER_TENANT} webhooks`, {
      details: { limit: 'maxWebhooks', allowed: MAX_WEBHOOKS_PER_TENANT, requested: webhooksOfTenant + 1 },
    });
  }
  return [
    {
      type: 'WebhookRegistered',
      data: {
        tenantId: caller.tenantId,
        webhookId,
        url,
        eventTypes: normalizedEventTypes(eventTypes),
        description,
        registeredAt: at,
      },
    },
  ];
}
