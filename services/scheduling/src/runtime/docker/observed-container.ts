import type Docker from 'dockerode';

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/** What reconciliation needs to know about one container on a host. */
export interface ObservedContainer {
  /** The engine's container id (64 hex). */
  readonly engineId: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly state: ContainerState;
  /** The last exit code; 0 for a container that never exited. */
  readonly exitCode: number;
  /** Only for containers with a health check. */
  readonly health?: HealthStatus;
  readonly createdAt: string;
  /**
   * ISO timestamps; undefined when it never happened, and always undefined from `list()`:
   * the engine's list does not carry them, and an inspect per container every period
   * would cost a request per replica. `inspect()` fills them in.
   */
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** From a full inspect. */
export function fromInspect(info: Docker.ContainerInspectInfo): ObservedContainer {
  const health = info.State.Health?.Status;
  return {
    engineId: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    labels: info.Config.Labels ?? {},
    state: info.State.Status as ContainerState,
    exitCode: info.State.ExitCode,
    ...(isHealth(health) ? { health } : {}),
    createdAt: info.Created,
    ...timestamp('startedAt', info.State.StartedAt),
    ...timestamp('finishedAt', info.State.FinishedAt),
  };
}

/**
 * From one entry of the engine's list. Exit code and health only appear in its human
 * `Status` text ("Exited (137) 2 seconds ago", "Up 5 seconds (healthy)"), a format
 * the Docker CLI itself shows and that has not changed in years.
 */
export function fromListEntry(entry: Docker.ContainerInfo): ObservedContainer {
  const exit = /^(?:Exited|Restarting) \((-?\d+)\)/.exec(entry.Status);
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(entry.Status)?.[1]?.replace('health: ', '');
  return {
    engineId: entry.Id,
    name: (entry.Names[0] ?? '').replace(/^\//, ''),
    image: entry.Image,
    labels: entry.Labels ?? {},
    state: entry.State as ContainerState,
    exitCode: exit ? Number(exit[1]) : 0,
    ...(isHealth(health) ? { health } : {}),
    createdAt: new Date(entry.Created * 1000).toISOString(),
  };
}

function isHealth(value: string | undefined): value is HealthStatus {
  return value === 'starting' || value === 'healthy' || value === 'unhealthy';
}

/** Docker reports "never" as the zero time 0001-01-01T00:00:00Z. */
function timestamp<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  if (!value || value.startsWith('0001-01-01')) return {};
  return { [key]: value } as Record<K, string>;
}
