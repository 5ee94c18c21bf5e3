import { type Decider, assertNever } from '@caas/domain';
import { type ApiKeyEvent, type ApiKeyState, evolveApiKey, initialApiKeyState } from './apikey.events';
import { type CreateApiKey, createApiKey } from './create-api-key';
import { type RevokeApiKey, revokeApiKey } from './revoke-api-key';

export type ApiKeyCommand = CreateApiKey | RevokeApiKey;

export const apiKeyDecider: Decider<ApiKeyCommand, ApiKeyEvent, ApiKeyState> = {
  initialState: initialApiKeyState,
  evolve: evolveApiKey,
  decide: (command, state) => {
    switch (command.kind) {
      case 'CreateApiKey':
        return createApiKey(command, state);
      case 'RevokeApiKey':
        return revokeApiKey(command, state);
      default:
        return assertNever(command);
    }
  },
};
