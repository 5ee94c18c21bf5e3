import { SYSTEM_ACTOR } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { meterDecider } from './meter.decider';
import { meterStream } from './meter.events';
import { metersDue } from './meters.projection';

export interface BillingClockOptions {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  /** The meters' read model: the clock reads it after it has caught up with its own closes. */
  readonly readModel: ReadModelConsumer;
  readonly graceMs: number;
  readonly now: () => Date;
  /**
   * Facts received and not recorded yet (the metering consumers' `meteringBacklog`). While
   * there are any, no hour closes: a billing that was down records the facts of the hours
   * it missed first, or they would come late and be billed in a later hour. Unset: none.
   */
  readonly backlog?: () => Promise<number>;
}

/**
 * Closes every hour that is over, grace included, meter by meter, in order. The close
 * is the recorded event that fixes an hour's numbers; late facts after it are
 * corrections. Idempotent: a close of an hour already closed records nothing.
 */
export class BillingClock {
  constructor(private readonly options: BillingClockOptions) {}

  /**
   * One round: closes until no meter has an hour due; answers how many hours it closed.
   * Closes nothing (0) while facts are waiting to be recorded: the next round tries again.
   */
  async tick(): Promise<number> {
    const { store, dataSource, readModel, graceMs, now, backlog } = this.options;
    if (backlog && (await backlog()) > 0) return 0;
    let closed = 0;
    for (;;) {
      await readModel.caughtUp();
      const due = await metersDue(dataSource.manager, now(), graceMs);
      if (due.length === 0) return closed;
      for (const { tenantId, hour } of due) {
        const { nextExpectedRevision } = await handleCommand(
          store,
          meterDecider,
          meterStream(tenantId),
          { kind: 'CloseHour', tenantId, hour },
          { tenantId, actor: SYSTEM_ACTOR, correlationId: `close:${tenantId}:${hour}`, causationId: 'billing-clock' },
        );
        closed += 1;
        for await (const event of store.readStream(meterStream(tenantId), {
          fromRevision: nextExpectedRevision!,
          maxCount: 1,
        })) {
          await readModel.waitFor(event.position);
        }
      }
    }
  }
}
