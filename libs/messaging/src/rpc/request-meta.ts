import type { Actor } from '@caas/contracts';
import { headers as natsHeaders, type MsgHdrs } from 'nats';

/**
 * Who is asking and on whose behalf, carried in NATS headers with every command and
 * query so that services never trust a tenant id taken from the payload, and every
 * event a request causes records the same correlation id and actor.
 */
export interface RequestMeta {
  readonly correlationId: string;
  readonly actor: Actor;
  /** The tenant the credential is scoped to; null for platform-level calls. */
  readonly tenantId: string | null;
  /** The caller's roles in that tenant, and platform roles (platform-admin, finance). */
  readonly roles: readonly string[];
  /**
   * The same on every attempt at one client request: the gateway derives it from the
   * request's Idempotency-Key (absent without one). A service that gets a command again
   * under the same id — its answer was lost — answers what it did, and does not do it twice.
   */
  readonly commandId?: string;
}

export const HEADERS = {
  correlationId: 'Caas-Correlation-Id',
  actor: 'Caas-Actor',
  tenantId: 'Caas-Tenant-Id',
  roles: 'Caas-Roles',
  commandId: 'Caas-Command-Id',
} as const;

export function toHeaders(meta: RequestMeta): MsgHdrs {
  const headers = natsHeaders();
  headers.set(HEADERS.correlationId, meta.correlationId);
  headers.set(HEADERS.actor, `${meta.actor.type}:${meta.actor.id}`);
  if (meta.tenantId) headers.set(HEADERS.tenantId, meta.tenantId);
  headers.set(HEADERS.roles, meta.roles.join(','));
  if (meta.commandId) headers.set(HEADERS.commandId, meta.commandId);
  return headers;
}

export function fromHeaders(headers: MsgHdrs | undefined): RequestMeta {
  const actor = headers?.get(HEADERS.actor) ?? '';
  const colon = actor.indexOf(':');
  const type = actor.slice(0, colon);
  const commandId = headers?.get(HEADERS.commandId);
  return {
    correlationId: headers?.get(HEADERS.correlationId) || 'none',
    actor: {
      type: type === 'user' || type === 'api-key' ? type : 'system',
      id: colon > 0 ? actor.slice(colon + 1) : 'unknown',
    },
    tenantId: headers?.get(HEADERS.tenantId) || null,
    roles: (headers?.get(HEADERS.roles) ?? '').split(',').filter(Boolean),
    ...(commandId ? { commandId } : {}),
  };
}
