import type { TenancyEvent, TenantRole } from '@caas/contracts';
import { streamName } from '@caas/event-store';
import { assertNever } from '@caas/domain';

export const apiKeyStream = (keyId: string) => streamName('apikey', keyId);

/** Public API key events; the secret's hash lives in a private stream (api-key-secret.ts). */
export type ApiKeyEvent = Extract<TenancyEvent, { type: 'ApiKeyCreated' | 'ApiKeyRevoked' }>;

export interface ApiKeyState {
  readonly exists: boolean;
  readonly tenantId: string;
  readonly name: string;
  readonly role: TenantRole | undefined;
  readonly revoked: boolean;
}

export const initialApiKeyState = (): ApiKeyState => ({
  exists: false,
  tenantId: '',
  name: '',
  role: undefined,
  revoked: false,
});

export function evolveApiKey(state: ApiKeyState, event: ApiKeyEvent): ApiKeyState {
  switch (event.type) {
    case 'ApiKeyCreated': {
      const { tenantId, name, role } = event.data;
      return { ...state, exists: true, tenantId, name, role };
    }
    case 'ApiKeyRevoked':
      return { ...state, revoked: true };
    default:
      return assertNever(event);
  }
}
