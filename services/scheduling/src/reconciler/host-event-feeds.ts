import type { HostDrivers } from '../cluster/host-drivers';
import type { ContainerEventFeed } from '../runtime/docker';
import { LABELS } from '../runtime/runtime-spec';

/**
 * One engine event feed per reachable host, for the platform's containers only. An
 * event only asks for a reconcile pass: the pass lists the engine and decides from what
 * it sees, so a missed or repeated event costs nothing but latency.
 */
export class HostEventFeeds {
  private readonly feeds = new Map<string, ContainerEventFeed>();
  /** The hosts to follow now: an open that resolves after its host left (or after closeAll) opens nothing. */
  private wanted = new Set<string>();

  constructor(
    private readonly drivers: HostDrivers,
    private readonly onEvent: () => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Follows exactly these hosts: opens feeds for new ones, closes the rest. */
  follow(hostIds: readonly string[]): void {
    const wanted = new Set(hostIds);
    this.wanted = wanted;
    for (const [hostId, feed] of this.feeds) {
      if (wanted.has(hostId)) continue;
      feed.close();
      this.feeds.delete(hostId);
    }
    for (const hostId of wanted) {
      if (!this.feeds.has(hostId)) this.open(hostId).catch(this.onError);
    }
  }

  closeAll(): void {
    this.follow([]);
  }

  private async open(hostId: string): Promise<void> {
    const driver = await this.drivers.get(hostId);
    if (!driver || this.feeds.has(hostId) || !this.wanted.has(hostId)) return;
    const feed = driver.events({ labels: { [LABELS.managed]: 'true' } });
    this.feeds.set(hostId, feed);
    for await (const message of feed) {
      if (message.kind === 'event') this.onEvent();
    }
  }
}
