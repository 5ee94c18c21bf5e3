import { CaasError } from '@caas/contracts';
import type { EventStore, Position } from '@caas/event-store';
import { ReadModelLagError } from '@caas/read-model';

/** The part of the read model a command handler waits on. */
export interface AppliedPositions {
  waitFor(position: Position): Promise<void>;
}

/**
 * Lets a command answer only once the service's own read model shows what it wrote,
 * so the caller's next query (on any instance) sees its change.
 */
export class ReadYourWrites {
  constructor(
    private readonly store: EventStore,
    private readonly readModel: AppliedPositions,
  ) {}

  /**
   * After an append to `stream` that left it at `revision` (handleCommand's
   * nextExpectedRevision, or an AppendResult's): waits for the position of the event at
   * that revision, read back from the store (also when nothing new was decided, so the
   * state the decision saw is visible too). Reading it back, rather than using the
   * append's own position, waits for exactly a position the subscription delivers, on
   * either event-store adapter.
   */
  async streamApplied(stream: string, revision: bigint | undefined): Promise<void> {
    if (revision === undefined) return;
    for await (const event of this.store.readStream(stream, { fromRevision: revision, maxCount: 1 })) {
      await this.applied(event.position);
    }
  }

  private async applied(position: Position): Promise<void> {
    try {
      await this.readModel.waitFor(position);
    } catch (error) {
      // The write is committed; only the view lags. `timeout` tells the caller exactly that.
      if (error instanceof ReadModelLagError) throw new CaasError('timeout', 'The change is saved but not yet visible');
      throw error;
    }
  }
}
