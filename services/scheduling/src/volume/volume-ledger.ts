import type { EventStore, Subscription } from '@caas/event-store';
import { idOf } from '@caas/event-store';
import { type VolumeEvent, type VolumeState, evolveVolume, initialVolumeState } from './volume.events';

interface Folded {
  readonly state: VolumeState;
  /** The stream revision `state` includes. */
  readonly revision: bigint;
}

/**
 * The last recorded size of every tenant volume on every host, folded from the `volume`
 * streams (catch-up subscription from the start, then live). It is what "this host had
 * these volumes" means for the sampler: kept in the store, not in memory, so a sampler
 * started after a volume was removed (the service was down meanwhile) still records its 0.
 *
 * Like ClusterState, the sampler applies what its own appends produced at once; a
 * delivered event at or below the revision already applied is skipped.
 */
export class VolumeLedger {
  private readonly volumes = new Map<string, Folded>();
  private subscription?: Subscription;
  private following?: Promise<void>;

  /** Resolves once history is folded; a failed subscription is reported (it reconnects on its own). */
  static async start(store: EventStore, onError: (error: unknown) => void = () => undefined): Promise<VolumeLedger> {
    const ledger = new VolumeLedger();
    const subscription = store.subscribeToAll({ fromPosition: 'start', filter: { categories: ['volume'] } });
    ledger.subscription = subscription;
    await new Promise<void>((caughtUp, failed) => {
      ledger.following = (async () => {
        for await (const message of subscription) {
          if (message.kind === 'caughtUp') caughtUp();
          else {
            const { streamId, revision, type, data } = message.event;
            ledger.fold(idOf(streamId), { type, data } as VolumeEvent, revision);
          }
        }
      })().catch((error: unknown) => {
        onError(error);
        failed(error);
      });
    });
    return ledger;
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
    await this.following;
  }

  /** Every volume ever measured on `hostId`, by volume id, as last recorded (a removed one at 0). */
  onHost(hostId: string): Map<string, VolumeState> {
    const onHost = new Map<string, VolumeState>();
    for (const [volumeId, { state }] of this.volumes) {
      if (state.hostId === hostId) onHost.set(volumeId, state);
    }
    return onHost;
  }

  /** A command's outcome: the state its append produced, at `nextExpectedRevision`. */
  apply(volumeId: string, state: VolumeState, revision: bigint | undefined): void {
    if (revision === undefined) return; // nothing was ever appended
    const known = this.volumes.get(volumeId);
    if (known && known.revision >= revision) return;
    this.volumes.set(volumeId, { state, revision });
  }

  private fold(volumeId: string, event: VolumeEvent, revision: bigint): void {
    const known = this.volumes.get(volumeId);
    if (known && known.revision >= revision) return;
    this.volumes.set(volumeId, { state: evolveVolume(known?.state ?? initialVolumeState(), event), revision });
  }
}
