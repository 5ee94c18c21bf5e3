import { normalizedEventTypes } from './event-type-filter';
import type { WebhookEvent, WebhookState } from './webhook.events';
import { type WebhookCaller, requireManager, requireOwnWebhook } from './webhook.guards';

export interface UpdateWebhook {
  readonly kind: 'UpdateWebhook';
  readonly caller: WebhookCaller;
  readonly webhookId: string;
  /** Only what is given changes; a url has been checked by the handler. */
  readonly url?: string;
  readonly eventTypes?: readonly string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

/** Records the whole new settings (consumers need no earlier event); nothing when nothing changes. */
export function updateWebhook(command: UpdateWebhook, state: WebhookState): WebhookEvent[] {
  const { caller, webhookId } = command;
  requireOwnWebhook(state, caller, webhookId);
  requireManager(caller, 'change webhooks');
  const next = {
    url: command.url ?? state.url,
    eventTypes: command.eventTypes ? normalizedEventTypes(command.eventTypes) : [...state.eventTypes],
    description: command.description ?? state.description,
    enabled: command.enabled ?? state.enabled,
  };
  const unchanged =
    next.url === state.url &&
    next.description === state.description &&
    next.enabled === state.enabled &&
    next.eventTypes.join('\n') === state.eventTypes.join('\n');
  if (unchanged) return [];
  return [{ type: 'WebhookUpdated', data: { tenantId: caller.tenantId, webhookId, ...next } }];
}
