import {
  type WebhookDeliveryAttemptView,
  type WebhookDeliveryStatus,
  type WebhookDeliveryView,
  type WebhookView,
} from '@caas/contracts';
import type { DataSource } from 'typeorm';

interface WebhookRowData {
  webhook_id: string;
  url: string;
  event_types: string[];
  description: string;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
  secret_rotated_at: Date | null;
}

/** A tenant's webhooks and their delivery log, always within the tenant: another's is simply not there. */
export class WebhookQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(tenantId: string): Promise<WebhookView[]> {
    const rows: WebhookRowData[] = await this.dataSource.query(
      `select * from monitoring.webhooks where tenant_id = $1 and not removed order by created_at, webhook_id`,
      [tenantId],
    );
    return rows.map(toView);
  }

  async get(tenantId: string, webhookId: string): Promise<WebhookView | undefined> {
    const [row]: WebhookRowData[] = await this.dataSource.query(
      `select * from monitoring.webhooks where tenant_id = $1 and webhook_id = $2 and not removed`,
      [tenantId, webhookId],
    );
    return row && toView(row);
  }

  async count(tenantId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `select count(*)::int as n from monitoring.webhooks where tenant_id = $1 and not removed`,
      [tenantId],
    );
    return row.n as number;
  }

  /** Newest first, each with every attempt in order. */
  async deliveries(tenantId: string, webhookId: string, limit: number): Promise<WebhookDeliveryView[]> {
    const rows: Array<{
      delivery_id: string;
      webhook_id: string;
      event_id: string;
      event_type: string;
      sequence: string;
      redelivery_id: string | null;
      status: WebhookDeliveryStatus;
      next_attempt_at: Date;
      created_at: Date;
      attempts: Array<{
        attempt: number;
        at: string;
        status_code: number | null;
        error: string | null;
        duration_ms: number;
      }>;
    }> = await this.dataSource.query(
      `select d.*, coalesce((
          select json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'status_code', a.status_code,
                                            'error', a.error, 'duration_ms', a.duration_ms) order by a.attempt)
            from monitoring.webhook_delivery_attempts a where a.delivery_id = d.delivery_id), '[]') as attempts
         from monitoring.webhook_deliveries d
        where d.tenant_id = $1 and d.webhook_id = $2
        order by d.created_at desc, d.sequence desc
        limit $3`,
      [tenantId, webhookId, limit],
    );
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      webhookId: row.webhook_id,
      eventId: row.event_id,
      eventType: row.event_type,
      sequence: Number(row.sequence),
      redeliveryId: row.redelivery_id,
      status: row.status,
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
      createdAt: row.created_at.toISOString(),
      attempts: row.attempts.map((attempt): WebhookDeliveryAttemptView => ({
        attempt: attempt.attempt,
        at: new Date(attempt.at).toISOString(),
        statusCode: attempt.status_code,
        error: attempt.error,
        durationMs: attempt.duration_ms,
      })),
    }));
  }
}

function toView(row: WebhookRowData): WebhookView {
  return {
    webhookId: row.webhook_id,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    enabled: row.enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    secretRotatedAt: row.secret_rotated_at?.toISOString() ?? null,
  };
}
