import type { StateReplay } from '@caas/messaging/src/rpc/state-as-of';
import { webhookDecider } from '../webhook/webhook.decider';

/**
 * Monitoring's public streams whose state the audit's time travel replays (`webhook` in
 * STATE_OWNERS). Never `webhooksecret`: the secret lives there, not in the webhook's state.
 */
export const STATE_REPLAYS: Readonly<Record<string, StateReplay>> = {
  webhook: { decider: webhookDecider },
};
