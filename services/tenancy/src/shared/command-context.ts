import type { CommandContext } from '@caas/domain';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';

/**
 * Event metadata for what a request causes. Requests carry no id of their own, so the
 * correlation id (the originating request) is also the direct cause. The command id
 * (from the caller's Idempotency-Key) lets handleCommand recognise a retried command.
 */
export function contextOf(meta: RequestMeta, tenantId: string | null): CommandContext {
  return {
    tenantId,
    actor: meta.actor,
    correlationId: meta.correlationId,
    causationId: meta.correlationId,
    ...(meta.commandId ? { commandId: meta.commandId } : {}),
  };
}
