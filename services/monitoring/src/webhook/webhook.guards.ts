import { MANAGING_ROLES, type TenantRole, forbidden, notFound } from '@caas/contracts';
import type { WebhookState } from './webhook.events';

/** Who asks, from the request's headers (tenantMember). */
export interface WebhookCaller {
  readonly tenantId: string;
  readonly role: TenantRole;
}

/** Owners and admins (or an API key with either role) manage webhooks: they send the tenant's events out. */
export function requireManager(caller: WebhookCaller, what: string): void {
  if (!MANAGING_ROLES.includes(caller.role)) throw forbidden(`Only owners and admins may ${what}`);
}

/** Another tenant's webhook, or a removed one, does not exist for the caller. */
export function requireOwnWebhook(state: WebhookState, caller: WebhookCaller, webhookId: string): void {
  if (!state.exists || state.tenantId !== caller.tenantId) throw notFound('Webhook', webhookId);
}
