import type { Pool } from 'pg';
import type { WebhookSecrets } from '../webhook/webhook-secrets';
import type { WebhookSettings } from '../webhook/webhook.settings';
import { retryDelayMs } from './backoff';
import { type AttemptOutcome, type ClaimedDelivery, claimDueDeliveries, recordAttempt } from './delivery-queue';
import { PollingLoop } from './polling-loop';
import { SIGNATURE_HEADER, signatureHeader } from './signature';
import { sendWebhook } from './webhook-sender';

/** Requests one dispatcher has out at once, across every webhook. */
const MAX_IN_FLIGHT = 32;

/**
 * Sends queued deliveries: every `pollMs` it leases what is due (at most
 * `maxInFlightPerWebhook` of a webhook at once, across instances), signs each with the
 * webhook's current secret and a fresh timestamp, POSTs it, and logs the attempt: 2xx is
 * delivered, anything else is retried after `retryDelayMs` until `maxAttempts`, then failed.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: PollingLoop;

  constructor(
    private readonly pool: Pool,
    private readonly secrets: WebhookSecrets,
    private readonly settings: WebhookSettings,
    private readonly onError: (error: unknown) => void,
  ) {
    this.loop = new PollingLoop(() => this.dispatchDue(), settings.pollMs, onError);
  }

  start(): void {
    this.loop.start();
  }

  /** Stops leasing and waits for the requests already out (each bounded by the timeout). */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all(this.inFlight);
  }

  private async dispatchDue(): Promise<void> {
    const claimed = await claimDueDeliveries(this.pool, {
      limit: MAX_IN_FLIGHT - this.inFlight.size,
      perWebhook: this.settings.maxInFlightPerWebhook,
      // Past the request's timeout with room to log it: a lease that runs out means the holder died.
      leaseMs: this.settings.timeoutMs + 30_000,
    });
    for (const delivery of claimed) {
      const sending: Promise<void> = this.deliver(delivery)
        .catch((error) => this.onError(error))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const at = new Date();
    const secret = await this.secrets.read(delivery.webhookId);
    const sent = secret
      ? await sendWebhook(delivery.url, delivery.body, this.headers(delivery, secret, at), {
          timeoutMs: this.settings.timeoutMs,
          reach: this.settings,
        })
      : { statusCode: null, error: 'the webhook has no signing secret', durationMs: 0 };
    await recordAttempt(this.pool, delivery, this.outcome(delivery, at, sent));
  }

  private headers(delivery: ClaimedDelivery, secret: string, at: Date): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      'User-Agent': 'caas-webhooks/1',
      [SIGNATURE_HEADER]: signatureHeader(secret, delivery.body, Math.floor(at.getTime() / 1000)),
      'Caas-Event-Id': delivery.eventId,
      'Caas-Event-Type': delivery.eventType,
      'Caas-Delivery-Id': delivery.deliveryId,
    };
  }

  private outcome(
    delivery: ClaimedDelivery,
    at: Date,
    sent: { statusCode: number | null; error: string | null; durationMs: number },
  ): AttemptOutcome {
    const { statusCode } = sent;
    if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
      return { ...sent, at, status: 'delivered', retryAt: null };
    }
    const attempt = delivery.attempts + 1;
    const error = sent.error ?? `HTTP ${statusCode}`;
    if (attempt >= this.settings.maxAttempts) return { ...sent, error, at, status: 'failed', retryAt: null };
    const retryAt = new Date(Date.now() + retryDelayMs(attempt, this.settings.backoffMs));
    return { ...sent, error, at, status: 'pending', retryAt };
  }
}
