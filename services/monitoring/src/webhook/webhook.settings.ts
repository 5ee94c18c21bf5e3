import type { WebhookReach } from './webhook-url';

/** How webhooks are delivered (MonitoringConfig.webhooks; every field has a default). */
export interface WebhookSettings extends WebhookReach {
  /** The wait after the first failed attempt; it doubles after each, at most an hour. */
  readonly backoffMs: number;
  /** Attempts per delivery before it is `failed`. */
  readonly maxAttempts: number;
  /** How long one request may take, connection to last byte. */
  readonly timeoutMs: number;
  /** How often the dispatcher and the redelivery worker look for work. */
  readonly pollMs: number;
  /** Deliveries of one webhook being sent at once, at most (across every instance). */
  readonly maxInFlightPerWebhook: number;
  /** How long a finished delivery (and its attempts) stays in the log. */
  readonly keepDeliveriesDays: number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowHosts: [],
  backoffMs: 10_000,
  maxAttempts: 8,
  timeoutMs: 10_000,
  pollMs: 500,
  maxInFlightPerWebhook: 2,
  keepDeliveriesDays: 30,
};

export function webhookSettingsOf(given: Partial<WebhookSettings> | undefined): WebhookSettings {
  return { ...DEFAULT_WEBHOOK_SETTINGS, ...given };
}

/** MONITORING_WEBHOOK_* from the environment; what is not set keeps its default. */
export function webhookSettingsFromEnv(env: NodeJS.ProcessEnv): Partial<WebhookSettings> {
  const positive = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not '${raw}'`);
    return value;
  };
  const settings: Partial<Record<keyof WebhookSettings, unknown>> = {
    allowHosts: (env.MONITORING_WEBHOOK_ALLOW_HOSTS ?? '')
      .split(',')
      .map((host) =>
        host
          .trim()
          .toLowerCase()
          .replace(/^\[(.*)\]$/, '$1'),
      )
      .filter(Boolean),
    backoffMs: positive('MONITORING_WEBHOOK_BACKOFF_MS'),
    maxAttempts: positive('MONITORING_WEBHOOK_MAX_ATTEMPTS'),
    timeoutMs: positive('MONITORING_WEBHOOK_TIMEOUT_MS'),
    pollMs: positive('MONITORING_WEBHOOK_POLL_MS'),
    keepDeliveriesDays: positive('MONITORING_WEBHOOK_LOG_DAYS'),
  };
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as Partial<WebhookSettings>;
}
