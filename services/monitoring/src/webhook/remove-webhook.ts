import type { WebhookEvent, WebhookState } from './webhook.events';
import { type WebhookCaller, requireManager, requireOwnWebhook } from './webhook.guards';

export interface RemoveWebhook {
  readonly kind: 'RemoveWebhook';
  readonly caller: WebhookCaller;
  readonly webhookId: string;
}

/** Nothing more is sent; deliveries still queued stay in its log, unsent. */
export function removeWebhook(command: RemoveWebhook, state: WebhookState): WebhookEvent[] {
  const { caller, webhookId } = command;
  requireOwnWebhook(state, caller, webhookId);
  requireManager(caller, 'remove webhooks');
  return [{ type: 'WebhookRemoved', data: { tenantId: caller.tenantId, webhookId } }];
}
