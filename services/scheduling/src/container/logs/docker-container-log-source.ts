import type { Readable } from 'node:stream';
import { CaasError, notFound, type LogLineView } from '@caas/contracts';
import type { DockerHostDriver } from '../../runtime/docker/docker-host-driver';
import { ContainerNotFoundError, HostUnreachableError } from '../../runtime/docker/errors';
import type { LogEntry } from '../../runtime/docker/log-stream';
import type { ContainerLogSource, OpenLogOptions } from './container-log-source';

/** Where a container lives: its host and its name (or id) on that host's engine. */
export interface ContainerLocation {
  readonly hostId: string;
  readonly engineName: string;
}

/**
 * Undefined when the container does not exist, is another tenant's, or is not placed
 * on a host yet. May read a read model, hence the promise.
 */
export type LocateContainer = (
  tenantId: string,
  containerId: string,
) => ContainerLocation | undefined | Promise<ContainerLocation | undefined>;

/** The driver of a registered host; undefined when this instance has no connection to it. */
export type DriverFor = (hostId: string) => DockerHostDriver | undefined;

/** Container logs read from the Docker engine the container runs on. */
export class DockerContainerLogSource implements ContainerLogSource {
  constructor(
    private readonly locate: LocateContainer,
    private readonly driverFor: DriverFor,
  ) {}

  async open(
    tenantId: string,
    containerId: string,
    options: OpenLogOptions,
    signal: AbortSignal,
  ): Promise<AsyncIterable<LogLineView>> {
    // The tenant check is the lookup itself: another tenant's container is not found.
    const location = await this.locate(tenantId, containerId);
    if (!location) throw notFound('container', containerId);
    const driver = this.driverFor(location.hostId);
    if (!driver) {
      throw new CaasError('unavailable', `The host of container '${containerId}' is not connected`, {
        details: { hostId: location.hostId },
      });
    }
    signal.throwIfAborted();
    let entries: Readable;
    try {
      entries = await driver.logEntries(location.engineName, { tail: options.tail, follow: options.follow });
    } catch (error) {
      throw toCaasError(error, containerId, location.hostId);
    }
    // Destroying the stream closes the engine connection; the iterator below then ends.
    const stop = () => entries.destroy();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    entries.once('close', () => signal.removeEventListener('abort', stop));
    return toLines(entries, containerId, location.hostId);
  }
}

async function* toLines(entries: Readable, containerId: string, hostId: string): AsyncIterable<LogLineView> {
  try {
    for await (const entry of entries as AsyncIterable<LogEntry>) {
      yield { stream: entry.source, at: entry.at, line: entry.line };
    }
  } catch (error) {
    // Destroyed on purpose (abort): the log simply ends here.
    if (entries.destroyed && isPrematureClose(error)) return;
    throw toCaasError(error, containerId, hostId);
  } finally {
    entries.destroy();
  }
}

function isPrematureClose(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** The engine's failures in the contract's words; anything unexpected stays as it is (→ internal). */
function toCaasError(error: unknown, containerId: string, hostId: string): unknown {
  // Placed but not (yet, or any longer) on its engine: there is no log to read.
  if (error instanceof ContainerNotFoundError) {
    return new CaasError('not_found', `container '${containerId}' has no log on its host yet`);
  }
  if (error instanceof HostUnreachableError) {
    return new CaasError('unavailable', `The host of container '${containerId}' is unreachable`, {
      details: { hostId },
    });
  }
  return error;
}
