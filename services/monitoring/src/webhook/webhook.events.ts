import type { MonitoringEvent } from '@caas/contracts';
import { assertNever } from '@caas/domain';
import { streamName } from '@caas/event-store';

export type WebhookEvent = MonitoringEvent;

export const webhookStream = (webhookId: string) => streamName('webhook', webhookId);

export interface WebhookState {
  readonly exists: boolean;
  readonly tenantId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly description: string;
  readonly enabled: boolean;
}

export const initialWebhookState = (): WebhookState => ({
  exists: false,
  tenantId: '',
  url: '',
  eventTypes: [],
  description: '',
  enabled: false,
});

export function evolveWebhook(state: WebhookState, event: WebhookEvent): WebhookState {
  switch (event.type) {
    case 'WebhookRegistered': {
      const { tenantId, url, eventTypes, description } = event.data;
      return { exists: true, tenantId, url, eventTypes, description, enabled: true };
    }
    case 'WebhookUpdated': {
      const { url, eventTypes, description, enabled } = event.data;
      return { ...state, url, eventTypes, description, enabled };
    }
    case 'WebhookRemoved':
      return { ...state, exists: false, enabled: false };
    case 'WebhookSecretRotated':
    case 'WebhookRedeliveryRequested':
      return state;
    default:
      return assertNever(event);
  }
}
