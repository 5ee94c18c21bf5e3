import type { WebhookEvent, WebhookState } from './webhook.events';
import { type WebhookCaller, requireManager, requireOwnWebhook } from './webhook.guards';

export interface RotateWebhookSecret {
  readonly kind: 'RotateWebhookSecret';
  readonly caller: WebhookCaller;
  readonly webhookId: string;
  readonly at: string;
}

/**
 * The new secret itself is recorded first, in the private `webhooksecret-<id>` stream;
 * this public fact only says when, so the tenant's audit log shows it.
 */
export function rotateWebhookSecret(command: RotateWebhookSecret, state: WebhookState): WebhookEvent[] {
  const { caller, webhookId, at } = command;
  requireOwnWebhook(state, caller, webhookId);
  requireManager(caller, 'rotate webhook secrets');
  return [{ type: 'WebhookSecretRotated', data: { tenantId: caller.tenantId, webhookId, rotatedAt: at } }];
}
