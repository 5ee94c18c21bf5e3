import { CaasError } from '@caas/contracts';
import { type EventStore, type Position, categoryOf } from '@caas/event-store';
import { ReadModelLagError } from './read-model-consumer';

/** The part of a read model a command handler waits on. */
export interface AppliedPositions {
  waitFor(position: Position): Promise<void>;
}

/**
 * Lets a command answer only once the read model of the stream's category shows what it
 * wrote, so the caller's next query (on any instance) sees its change. A service with
 * one read model passes it alone; one with several, a read model per category.
 */
export class ReadYourWrites {
  private readonly readModels: Readonly<Record<string, AppliedPositions>> | undefined;
  private readonly only: AppliedPositions | undefined;

  constructor(
    private readonly store: EventStore,
    readModels: AppliedPositions | Readonly<Record<string, AppliedPositions>>,
  ) {
    if (typeof (readModels as AppliedPositions).waitFor === 'function') this.only = readModels as AppliedPositions;
    else this.readModels = readModels as Readonly<Record<string, AppliedPositions>>;
  }

  /**
   * After an append to `stream` that left it at `revision`: waits for the position of the
   * event at that revision, read back from the store (also when nothing new was decided,
   * so the state the decision saw is visible too) — exactly a position the read model's
   * subscription delivers, on either event-store adapter.
   */
  async streamApplied(stream: string, revision: bigint | undefined): Promise<void> {
    if (revision === undefined) return;
    const readModel = this.only ?? this.readModels?.[categoryOf(stream)];
    if (!readModel) throw new Error(`No read model follows the '${categoryOf(stream)}' category`);
    for await (const event of this.store.readStream(stream, { fromRevision: revision, maxCount: 1 })) {
      await this.applied(readModel, event.position);
    }
  }

  private async applied(readModel: AppliedPositions, position: Position): Promise<void> {
    try {
      await readModel.waitFor(position);
    } catch (error) {
      // The write is committed; only the view lags. `timeout` tells the caller exactly that.
      if (error instanceof ReadModelLagError) throw new CaasError('timeout', 'The change is saved but not yet visible');
      throw error;
    }
  }
}
