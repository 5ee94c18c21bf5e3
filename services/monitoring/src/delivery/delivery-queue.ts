import type { PublicEvent } from '@caas/contracts';
import { deterministicUuid } from '@caas/domain';
import type { Pool, PoolClient } from 'pg';
import { matchesEventTypes } from '../webhook/event-type-filter';

type Sql = Pick<PoolClient, 'query'>;

/** Live deliveries are generation `live`; a redelivery's, its id. */
export const LIVE = 'live';

/**
 * One delivery per (webhook, event, generation): a redelivered JetStream message or a
 * redelivery worker that starts over queues nothing twice.
 */
export const deliveryIdOf = (webhookId: string, eventId: string, generation: string) =>
  deterministicUuid(`webhook-delivery:${webhookId}:${eventId}:${generation}`);

export interface WebhookTarget {
  readonly webhookId: string;
  readonly eventTypes: readonly string[];
}

/** The tenant's enabled webhooks (or just `webhookId`) as the enqueuer matches them. */
export async function enabledWebhooks(sql: Sql, tenantId: string, webhookId?: string): Promise<WebhookTarget[]> {
  const { rows } = await sql.query<{ webhook_id: string; event_types: string[] }>(
    `select webhook_id, event_types from monitoring.webhooks
      where tenant_id = $1 and enabled and not removed and ($2::text is null or webhook_id = $2)`,
    [tenantId, webhookId ?? null],
  );
  return rows.map((row) => ({ webhookId: row.webhook_id, eventTypes: row.event_types }));
}

/**
 * Queues `events` for each target whose filters take them, due now. Only the tenant's own
 * events ever reach its webhooks: the caller passes targets of `event.tenantId` only, and
 * this checks it again per event. Answers how many rows were new.
 */
export async function enqueueDeliveries(
  sql: Sql,
  tenantId: string,
  targets: readonly WebhookTarget[],
  events: readonly PublicEvent[],
  generation: string,
): Promise<number> {
  const rows: Array<[string, string, string, string, number, string]> = [];
  for (const event of events) {
    if (event.tenantId !== tenantId) continue;
    for (const { webhookId, eventTypes } of targets) {
      if (!matchesEventTypes(eventTypes, event.type)) continue;
      rows.push([
        deliveryIdOf(webhookId, event.id, generation),
        webhookId,
        event.id,
        event.type,
        event.sequence,
        JSON.stringify(event),
      ]);
    }
  }
  if (rows.length === 0) return 0;
  const column = (index: number) => rows.map((row) => row[index]);
  const result = await sql.query(
    `insert into monitoring.webhook_deliveries
       (delivery_id, webhook_id, tenant_id, event_id, event_type, sequence, redelivery_id, body)
     select d.id, d.webhook_id, $7, d.event_id, d.event_type, d.sequence, $8, d.body
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
            as d(id, webhook_id, event_id, event_type, sequence, body)
     on conflict (delivery_id) do nothing`,
    [
      column(0),
      column(1),
      column(2),
      column(3),
      column(4),
      column(5),
      tenantId,
      generation === LIVE ? null : generation,
    ],
  );
  return result.rowCount ?? 0;
}

export interface ClaimedDelivery {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly url: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly body: string;
  /** Attempts made before this one. */
  readonly attempts: number;
}

/**
 * Leases due deliveries, at most `perWebhook` of one webhook in flight (leased) at
 * once across every instance: each webhook's row is locked while its deliveries are
 * counted and leased, so two dispatchers never both take "the second". Short: the
 * requests go out after the commit, outside any transaction.
 */
export async function claimDueDeliveries(
  pool: Pool,
  options: { readonly limit: number; readonly perWebhook: number; readonly leaseMs: number },
): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const { rows: webhooks } = await client.query<{ webhook_id: string; url: string }>(
      `select w.webhook_id, w.url from monitoring.webhooks w
        where w.enabled and not w.removed and exists (
          select 1 from monitoring.webhook_deliveries d
           where d.webhook_id = w.webhook_id and d.status = 'pending' and d.next_attempt_at <= now()
             and (d.leased_until is null or d.leased_until < now()))
        limit $1
        for no key update of w skip locked`,
      [options.limit],
    );
    const claimed: ClaimedDelivery[] = [];
    for (const { webhook_id: webhookId, url } of webhooks) {
      if (claimed.length >= options.limit) break;
      const { rows } = await client.query<{
        delivery_id: string;
        event_id: string;
        event_type: string;
        body: string;
        attempts: number;
      }>(
        `update monitoring.webhook_deliveries
            set leased_until = now() + make_interval(secs => $3::double precision / 1000)
          where delivery_id in (
            select delivery_id from monitoring.webhook_deliveries
             where webhook_id = $1 and status = 'pending' and next_attempt_at <= now()
               and (leased_until is null or leased_until < now())
             order by next_attempt_at, sequence
             limit least($4, greatest(0, $2 - (
               select count(*) from monitoring.webhook_deliveries
                where webhook_id = $1 and status = 'pending' and leased_until >= now())))
             for update skip locked)
          returning delivery_id, event_id, event_type, body, attempts`,
        [webhookId, options.perWebhook, options.leaseMs, options.limit - claimed.length],
      );
      for (const row of rows) {
        claimed.push({
          deliveryId: row.delivery_id,
          webhookId,
          url,
          eventId: row.event_id,
          eventType: row.event_type,
          body: row.body,
          attempts: row.attempts,
        });
      }
    }
    await client.query('commit');
    return claimed;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}

export interface AttemptOutcome {
  readonly at: Date;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  /** `pending` with `retryAt`, or final. */
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly retryAt: Date | null;
}

/** Logs the attempt and moves the delivery on, releasing its lease: one statement, so both or neither. */
export async function recordAttempt(sql: Sql, delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
  await sql.query(
    `with moved as (
       update monitoring.webhook_deliveries
          set attempts = attempts + 1, status = $2, next_attempt_at = coalesce($3, next_attempt_at),
              leased_until = null, finished_at = case when $2 = 'pending' then null else $4::timestamptz end
        where delivery_id = $1 and status = 'pending'
        returning attempts)
     insert into monitoring.webhook_delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
     select $1, attempts, $4, $5, $6, $7 from moved`,
    [
      delivery.deliveryId,
      outcome.status,
      outcome.retryAt,
      outcome.at,
      outcome.statusCode,
      outcome.error,
      Math.round(outcome.durationMs),
    ],
  );
}
