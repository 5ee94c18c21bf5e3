import type { HostStatus } from '@caas/contracts';

/** What the monitor knows of one host at the end of a heartbeat round. */
export interface HeartbeatObservation {
  readonly hostId: string;
  /** As the read model shows it. */
  readonly status: HostStatus;
  /**
   * The last successful ping (ms since the epoch); until the first one, when the
   * monitor started watching the host (a newly watched host gets one TTL of grace).
   */
  readonly lastSeenMs: number;
  /** The ping of this round succeeded. */
  readonly answered: boolean;
}

export interface HeartbeatDecisions {
  /** Up (or draining) hosts silent for longer than the TTL, with when they were last seen. */
  readonly markDown: ReadonlyArray<{ readonly hostId: string; readonly lastSeenMs: number }>;
  /** Down hosts that answered this round. */
  readonly markUp: readonly string[];
}

/**
 * Pure: which hosts to mark down and which up. A host goes down only once it has been
 * silent for strictly longer than `ttlMs` (the decider's own rule), and comes back up
 * as soon as it answers. Removed hosts are never touched.
 */
export function heartbeatDecisions(
  observations: readonly HeartbeatObservation[],
  nowMs: number,
  ttlMs: number,
): HeartbeatDecisions {
  const markDown: Array<{ hostId: string; lastSeenMs: number }> = [];
  const markUp: string[] = [];
  for (const { hostId, status, lastSeenMs, answered } of observations) {
    switch (status) {
      case 'up':
      case 'draining':
        if (!answered && nowMs - lastSeenMs > ttlMs) markDown.push({ hostId, lastSeenMs });
        break;
      case 'down':
        if (answered) markUp.push(hostId);
        break;
      case 'removed':
        break;
    }
  }
  return { markDown, markUp };
}
