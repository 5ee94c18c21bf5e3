import { randomBytes, randomUUID } from 'node:crypto';
import { type CommandContext, deterministicUuid, eventMetadata } from '@caas/domain';
import { type EventStore, StreamNotFoundError, streamName } from '@caas/event-store';

/**
 * Private stream of a webhook's signing secret: `webhooksecret-<webhookId>`. Never
 * relayed (main.ts relays `webhook` only), in no view: register and rotate answer it
 * once, the dispatcher reads it right before it signs.
 */
export const webhookSecretStream = (webhookId: string) => streamName('webhooksecret', webhookId);

interface WebhookSecretRecorded {
  readonly type: 'WebhookSecretRecorded';
  readonly data: { readonly webhookId: string; readonly secret: string };
}

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

export class WebhookSecrets {
  constructor(private readonly store: EventStore) {}

  /**
   * Records a new secret and answers the one in force. Under a command id the event id
   * derives from it, so a retried register or rotate re-appends nothing and answers the
   * secret its first attempt recorded.
   */
  async record(webhookId: string, context: CommandContext, purpose: string): Promise<string> {
    const id = context.commandId ? deterministicUuid(`webhooksecret:${context.commandId}:${purpose}`) : randomUUID();
    const event: WebhookSecretRecorded = {
      type: 'WebhookSecretRecorded',
      data: { webhookId, secret: newWebhookSecret() },
    };
    await this.store.appendToStream(webhookSecretStream(webhookId), [
      { id, type: event.type, data: event.data, metadata: eventMetadata(context) },
    ]);
    const secret = await this.read(webhookId);
    if (!secret) throw new Error(`Webhook '${webhookId}': the secret just recorded is not there`);
    return secret;
  }

  /** The last secret recorded, or undefined when none was. */
  async read(webhookId: string): Promise<string | undefined> {
    let secret: string | undefined;
    try {
      for await (const event of this.store.readStream(webhookSecretStream(webhookId))) {
        secret = (event as unknown as WebhookSecretRecorded).data.secret;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return secret;
  }
}
