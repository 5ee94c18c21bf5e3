import { type Decider, assertNever } from '@caas/domain';
import { type RegisterWebhook, registerWebhook } from './register-webhook';
import { type RemoveWebhook, removeWebhook } from './remove-webhook';
import { type RequestWebhookRedelivery, requestWebhookRedelivery } from './request-webhook-redelivery';
import { type RotateWebhookSecret, rotateWebhookSecret } from './rotate-webhook-secret';
import { type UpdateWebhook, updateWebhook } from './update-webhook';
import { type WebhookEvent, type WebhookState, evolveWebhook, initialWebhookState } from './webhook.events';

export type WebhookCommand =
  RegisterWebhook | UpdateWebhook | RotateWebhookSecret | RemoveWebhook | RequestWebhookRedelivery;

/** A tenant's webhook, stream `webhook-<webhookId>`. */
export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhookState> = {
  initialState: initialWebhookState,
  evolve: evolveWebhook,
  decide: (command, state) => {
    switch (command.kind) {
      case 'RegisterWebhook':
        return registerWebhook(command, state);
      case 'UpdateWebhook':
        return updateWebhook(command, state);
      case 'RotateWebhookSecret':
        return rotateWebhookSecret(command, state);
      case 'RemoveWebhook':
        return removeWebhook(command, state);
      case 'RequestWebhookRedelivery':
        return requestWebhookRedelivery(command, state);
      default:
        return assertNever(command);
    }
  },
};
