import { randomUUID } from 'node:crypto';
import { type CommandContext, deterministicUuid } from '@caas/domain';
import type { RequestMeta } from './request-meta';

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

/**
 * The id of something a command creates (a container, a service, a host): random, or —
 * when the request carries a command id — derived from it, so every attempt at one
 * request names the same thing, and a retry whose first attempt got through finds it
 * instead of creating a second one.
 */
export function newId(meta: RequestMeta, kind: string): string {
  return meta.commandId ? deterministicUuid(`${kind}:${meta.commandId}`) : randomUUID();
}
