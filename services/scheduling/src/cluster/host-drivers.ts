import { randomUUID } from 'node:crypto';
import type { CommandContext } from '@caas/domain';
import { type EventStore, StreamNotFoundError, streamName } from '@caas/event-store';
import { DockerHostDriver, type DockerTls } from '../runtime/docker';
import type { ClusterState } from './cluster-state';

/**
 * Private stream of a TCP host's TLS client credentials: `hostcredentials-<hostId>`.
 * Never relayed and never in a view: the key is root on that engine.
 */
export const hostCredentialsStream = (hostId: string) => streamName('hostcredentials', hostId);

interface HostCredentialsRecordedData {
  readonly hostId: string;
  readonly tls: DockerTls;
}

/**
 * One DockerHostDriver per registered host, made on first use from the host's endpoint
 * (cluster state) and its credentials (private stream), kept until the host is removed.
 */
export class HostDrivers {
  private readonly drivers = new Map<string, Promise<DockerHostDriver | undefined>>();

  constructor(
    private readonly store: EventStore,
    private readonly cluster: ClusterState,
    private readonly requestTimeoutMs = 30_000,
  ) {}

  /** A driver for an engine that is not registered yet: registration reads its capacity with it. */
  connect(endpoint: string, tls?: DockerTls): DockerHostDriver {
    return new DockerHostDriver({ endpoint, tls, requestTimeoutMs: this.requestTimeoutMs });
  }

  async saveCredentials(hostId: string, tls: DockerTls, context: CommandContext): Promise<void> {
    const { commandId: _commandId, ...who } = context;
    const data: HostCredentialsRecordedData = { hostId, tls };
    await this.store.appendToStream(hostCredentialsStream(hostId), [
      { id: randomUUID(), type: 'HostCredentialsRecorded', data, metadata: { schemaVersion: 1, ...who } },
    ]);
  }

  /** Undefined for a host that is unknown or removed. */
  get(hostId: string): Promise<DockerHostDriver | undefined> {
    const host = this.cluster.host(hostId);
    if (!host || host.lifecycle !== 'registered') {
      this.drivers.delete(hostId);
      return Promise.resolve(undefined);
    }
    let driver = this.drivers.get(hostId);
    if (!driver) {
      driver = this.make(hostId, host.endpoint);
      // A failed credentials read is retried on the next use.
      driver.catch(() => this.drivers.delete(hostId));
      this.drivers.set(hostId, driver);
    }
    return driver;
  }

  private async make(hostId: string, endpoint: string): Promise<DockerHostDriver | undefined> {
    const tls = endpoint.startsWith('tcp://') ? await this.credentials(hostId) : undefined;
    return this.connect(endpoint, tls);
  }

  private async credentials(hostId: string): Promise<DockerTls | undefined> {
    let tls: DockerTls | undefined;
    try {
      for await (const event of this.store.readStream(hostCredentialsStream(hostId))) {
        tls = (event.data as HostCredentialsRecordedData).tls;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return tls;
  }
}
