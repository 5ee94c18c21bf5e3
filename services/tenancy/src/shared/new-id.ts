import { randomUUID } from 'node:crypto';
import { deterministicUuid } from '@caas/domain';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';

/**
 * The id of something a command creates (a tenant, an environment…): random, or — when
 * the request carries a command id — derived from it, so that every attempt at one
 * request names the same thing, and a retry whose first attempt got through finds it
 * (handleCommand answers the events it recorded) instead of creating a second one.
 */
export function newId(meta: RequestMeta, kind: string): string {
  return meta.commandId ? deterministicUuid(`${kind}:${meta.commandId}`) : randomUUID();
}
