import { recordedAs } from '@caas/domain';
import type { RecordedEvent } from '@caas/event-store';
import type { EntityManager } from 'typeorm';
import type { WebhookEvent } from './webhook.events';

/**
 * Applies one `webhook-<id>` event to `monitoring.webhooks` (the tenant's list, and what
 * the enqueuer matches events against) and `monitoring.webhook_redeliveries` (what the
 * redelivery worker queues). Each row keeps its stream's revision: the handlers answer
 * once it reaches what they appended (read-your-writes on any instance).
 */
export async function projectWebhookEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<WebhookEvent>(recorded);
  const revision = recorded.revision.toString();
  const at = recorded.created;
  switch (event.type) {
    case 'WebhookRegistered': {
      const { webhookId, tenantId, url, eventTypes, description, registeredAt } = event.data;
      await manager.query(
        `insert into monitoring.webhooks
           (webhook_id, tenant_id, url, event_types, description, enabled, removed, created_at, updated_at, revision)
         values ($1, $2, $3, $4::jsonb, $5, true, false, $6, $6, $7)
         on conflict (webhook_id) do nothing`,
        [webhookId, tenantId, url, JSON.stringify(eventTypes), description, registeredAt, revision],
      );
      return;
    }
    case 'WebhookUpdated': {
      const { webhookId, url, eventTypes, description, enabled } = event.data;
      await manager.query(
        `update monitoring.webhooks
            set url = $2, event_types = $3::jsonb, description = $4, enabled = $5, updated_at = $6, revision = $7
          where webhook_id = $1`,
        [webhookId, url, JSON.stringify(eventTypes), description, enabled, at, revision],
      );
      return;
    }
    case 'WebhookSecretRotated': {
      const { webhookId, rotatedAt } = event.data;
      await manager.query(
        `update monitoring.webhooks set secret_rotated_at = $2, updated_at = $2, revision = $3 where webhook_id = $1`,
        [webhookId, rotatedAt, revision],
      );
      return;
    }
    case 'WebhookRemoved':
      // Kept, flagged: its delivery log stays readable to nobody, and the revision tells handlers it is applied.
      await manager.query(
        `update monitoring.webhooks set removed = true, enabled = false, updated_at = $2, revision = $3 where webhook_id = $1`,
        [event.data.webhookId, at, revision],
      );
      return;
    case 'WebhookRedeliveryRequested': {
      const { webhookId, tenantId, redeliveryId, fromSequence, toSequence } = event.data;
      await manager.query(
        `insert into monitoring.webhook_redeliveries
           (redelivery_id, webhook_id, tenant_id, from_sequence, to_sequence, requested_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (redelivery_id) do nothing`,
        [redeliveryId, webhookId, tenantId, fromSequence, toSequence, at],
      );
      await manager.query(`update monitoring.webhooks set revision = $2 where webhook_id = $1`, [webhookId, revision]);
      return;
    }
  }
}
