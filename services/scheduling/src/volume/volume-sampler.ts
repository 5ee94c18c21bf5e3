import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { ClusterState } from '../cluster/cluster-state';
import { hostStatus } from '../host/host.events';
import { systemContext } from '../reconciler/system-commands';
import type { VolumeUsage } from '../runtime/docker';
import { nowIso } from '../shared/time';
import { volumeDecider } from './volume.decider';
import { volumeStream } from './volume.events';
import { VolumeLedger } from './volume-ledger';
import { volumeReadings } from './volume-readings';

/** What the sampler needs of a host's engine (HostDrivers gives a DockerHostDriver). */
export interface VolumeUsageSource {
  volumeUsage(): Promise<VolumeUsage[]>;
}

export interface VolumeSamplerOptions {
  readonly store: EventStore;
  readonly cluster: ClusterState;
  /** The engine of a registered host; undefined when it is unknown or removed (HostDrivers.get). */
  readonly driverFor: (hostId: string) => Promise<VolumeUsageSource | undefined>;
  /** Between two rounds (SCHEDULING_VOLUME_SAMPLE_MS, default 5 min). */
  readonly intervalMs: number;
  readonly onError?: (error: unknown) => void;
  readonly clock?: () => string;
}

/** What one round did, for logs and specs. */
export interface SampleRound {
  /** Hosts whose engine answered. */
  readonly sampled: string[];
  /** Hosts whose engine did not: their volumes keep their last size until a round reaches them. */
  readonly skipped: string[];
  /** VolumeMeasured events recorded. */
  readonly recorded: number;
}

/**
 * Measures tenants' volumes for billing: every interval, asks each reachable host's
 * engine for its volumes' sizes and records, per volume, VolumeMeasured when the size
 * changed — 0 for a volume the host no longer has. Recorded as the platform, in the
 * volume's tenant, like the reconciler's observed facts.
 *
 * A host that is down (heartbeat) or does not answer is skipped, never zeroed: its
 * volumes are most likely still on its disk. Rounds never overlap. Several instances may
 * sample at once: the decider records a size only once, and never an older one after
 * a newer.
 */
export class VolumeSampler {
  private timer?: NodeJS.Timeout;
  private round: Promise<unknown> = Promise.resolve();
  private running = false;

  private constructor(
    private readonly options: VolumeSamplerOptions,
    private readonly ledger: VolumeLedger,
  ) {}

  /** Folds the recorded sizes first, so the first round already knows what each host had. */
  static async start(options: VolumeSamplerOptions): Promise<VolumeSampler> {
    const sampler = new VolumeSampler(options, await VolumeLedger.start(options.store, options.onError));
    // The first round after one interval, not at start: restarts stay cheap, and the
    // engines' df (which walks every volume) is not asked at every deploy.
    sampler.timer = setInterval(() => {
      if (!sampler.running) sampler.sampleOnce().catch((error: unknown) => options.onError?.(error));
    }, options.intervalMs);
    return sampler;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.round.catch(() => undefined);
    await this.ledger.stop();
  }

  /** One round over every reachable host; after the round in flight, if any. */
  sampleOnce(): Promise<SampleRound> {
    const next = this.round.catch(() => undefined).then(() => this.sampleAll());
    this.round = next;
    return next;
  }

  private async sampleAll(): Promise<SampleRound> {
    this.running = true;
    try {
      // As the reconciler: a host the heartbeat marked down is not asked, its calls would only time out.
      const hosts = [...this.options.cluster.hosts.values()]
        .map(({ state }) => state)
        .filter((host) => ['up', 'draining'].includes(hostStatus(host)));
      const outcomes = await Promise.all(hosts.map((host) => this.sampleHost(host.hostId)));
      return {
        sampled: hosts.filter((_, index) => outcomes[index] !== undefined).map((host) => host.hostId),
        skipped: hosts.filter((_, index) => outcomes[index] === undefined).map((host) => host.hostId),
        recorded: outcomes.reduce<number>((sum, recorded) => sum + (recorded ?? 0), 0),
      };
    } finally {
      this.running = false;
    }
  }

  /** The number of events recorded for the host; undefined when its engine did not answer. */
  private async sampleHost(hostId: string): Promise<number | undefined> {
    let usage: VolumeUsage[];
    try {
      const driver = await this.options.driverFor(hostId);
      if (!driver) return undefined;
      usage = await driver.volumeUsage();
    } catch (error) {
      this.options.onError?.(error);
      return undefined;
    }
    const at = (this.options.clock ?? nowIso)();
    let recorded = 0;
    for (const { volumeId, command } of volumeReadings(hostId, usage, this.ledger.onHost(hostId), at)) {
      try {
        const result = await handleCommand(
          this.options.store,
          volumeDecider,
          volumeStream(volumeId),
          command,
          systemContext(command.tenantId),
        );
        this.ledger.apply(volumeId, result.state, result.nextExpectedRevision);
        recorded += result.events.length;
      } catch (error) {
        // One volume's failure (the store, a refused size) does not keep the others unmeasured.
        this.options.onError?.(error);
      }
    }
    return recorded;
  }
}
