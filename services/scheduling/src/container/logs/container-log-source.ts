import type { LogLineView } from '@caas/contracts';

export interface OpenLogOptions {
  /** The last N lines first. */
  readonly tail: number;
  /** Then every new line until the container's log ends (it stopped or was removed). */
  readonly follow: boolean;
}

/**
 * Where a tenant's container logs come from. `open` throws CaasError `not_found` for a
 * container that does not exist or is another tenant's (never `forbidden`: that would
 * confirm it exists), and answers lines until the log ends or `signal` aborts.
 */
export interface ContainerLogSource {
  open(
    tenantId: string,
    containerId: string,
    options: OpenLogOptions,
    signal: AbortSignal,
  ): Promise<AsyncIterable<LogLineView>>;
}
