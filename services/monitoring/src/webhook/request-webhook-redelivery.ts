import { conflict, invalid } from '@caas/contracts';
import type { WebhookEvent, WebhookState } from './webhook.events';
import { type WebhookCaller, requireManager, requireOwnWebhook } from './webhook.guards';

export interface RequestWebhookRedelivery {
  readonly kind: 'RequestWebhookRedelivery';
  readonly caller: WebhookCaller;
  readonly webhookId: string;
  readonly redeliveryId: string;
  readonly fromSequence: number;
  /** CAAS_EVENTS' last sequence when asked (the handler reads it): later events come live anyway. */
  readonly toSequence: number;
}

/**
 * Sends again what the webhook's filters take of the tenant's events in
 * [fromSequence, toSequence], each as a new delivery (the same event id, so receivers
 * that dedupe by it see a repeat; a new delivery id).
 */
export function requestWebhookRedelivery(command: RequestWebhookRedelivery, state: WebhookState): WebhookEvent[] {
  const { caller, webhookId, redeliveryId, fromSequence, toSequence } = command;
  requireOwnWebhook(state, caller, webhookId);
  requireManager(caller, 'redeliver webhook events');
  if (!Number.isInteger(fromSequence) || fromSequence < 1) {
    throw invalid('fromSequence', 'min', 'fromSequence must be an integer of at least 1');
  }
  if (fromSequence > toSequence) {
    throw invalid('fromSequence', 'max', `fromSequence must be at most the last sequence, ${toSequence}`);
  }
  if (!state.enabled) throw conflict(`Webhook '${webhookId}' is disabled: enable it to redeliver`, { webhookId });
  return [
    {
      type: 'WebhookRedeliveryRequested',
      data: { tenantId: caller.tenantId, webhookId, redeliveryId, fromSequence, toSequence },
    },
  ];
}
