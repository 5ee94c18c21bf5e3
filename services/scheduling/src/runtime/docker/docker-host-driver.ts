import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { LABELS, type RuntimeContainerSpec } from '../runtime-spec';
import { containerCreateOptions } from './container-config';
import { ContainerEventFeed, type ContainerEventsOptions } from './container-events';
import { dockerOptionsFor, type DockerTls } from './endpoint';
import { mapDockerError, type ErrorSubject } from './error-mapping';
import { ImageTransferError, RuntimeError } from './errors';
import { labelFilters } from './label-filters';
import { demultiplexLog, logLines } from './log-stream';
import { fromInspect, fromListEntry, type ObservedContainer } from './observed-container';

/** One message of a pull's or push's progress stream. */
interface TransferMessage {
  readonly status?: string;
  readonly error?: string;
  readonly aux?: { readonly Tag?: string; readonly Digest?: string; readonly Size?: number };
}

/** A pull of a few hundred MB on a slow link; the reconciler retries a failed one next pass. */
const PULL_TIMEOUT_MS = 10 * 60_000;

export interface DockerHostDriverOptions {
  /** `unix:///path/docker.sock` or `tcp://host:port` (then `tls` is required). */
  readonly endpoint: string;
  readonly tls?: DockerTls;
  /** Upper bound for one ordinary engine call (default 30 s); stop/restart add their grace period. */
  readonly requestTimeoutMs?: number;
  /** Default for `ping()` (2 s): heartbeats must fail fast. */
  readonly pingTimeoutMs?: number;
}

export interface HostInfo {
  /** The engine's own id (`docker info` ID), stable across restarts of the engine. */
  readonly engineId: string;
  readonly name: string;
  readonly serverVersion: string;
  readonly os: string;
  readonly architecture: string;
  /** Engine labels (`--label`), e.g. caas.host=host-1. */
  readonly labels: Readonly<Record<string, string>>;
  readonly capacity: { readonly cpus: number; readonly memoryMb: number };
}

/** One engine volume and its size on disk; null when the engine could not tell. */
export interface VolumeUsage {
  readonly name: string;
  readonly sizeBytes: number | null;
}

export interface LogsOptions {
  /** The last N lines; all of them when absent. */
  readonly tail?: number;
}

/**
 * One Docker engine, as the scheduler sees it. Every call maps the engine's failures to
 * the typed errors of `./errors`, and every call that writes is idempotent where the
 * reconciler needs it to be (create by name, start of a running container, stop of a
 * stopped one), so a retry after a crash or a lost answer is always safe.
 */
export class DockerHostDriver {
  readonly endpoint: string;
  private readonly docker: Docker;
  private readonly requestTimeoutMs: number;
  private readonly pingTimeoutMs: number;
  /**
   * Tenant networks this driver has found or created, by name: a create in a network it
   * knows costs no engine round trip. Forgotten when removed, or when the engine cannot
   * start a container because its network is missing (removed behind our back): the next
   * ensureNetwork creates it again, and the container starts in it.
   */
  private readonly knownNetworks = new Map<string, { readonly tenantId: string; readonly id: string }>();

  constructor(options: DockerHostDriverOptions) {
    this.endpoint = options.endpoint;
    this.docker = new Docker(dockerOptionsFor(options.endpoint, options.tls));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  }

  async info(): Promise<HostInfo> {
    const info = await this.call({}, (abortSignal) => withOptions(this.docker.info, this.docker)({ abortSignal }));
    return {
      engineId: info.ID,
      name: info.Name,
      serverVersion: info.ServerVersion,
      os: info.OperatingSystem,
      architecture: info.Architecture,
      labels: Object.fromEntries(
        ((info.Labels ?? []) as string[]).map((label) => {
          const at = label.indexOf('=');
          return at < 0 ? [label, ''] : [label.slice(0, at), label.slice(at + 1)];
        }),
      ),
      capacity: { cpus: info.NCPU, memoryMb: Math.floor(info.MemTotal / (1024 * 1024)) },
    };
  }

  /** Resolves with the round trip in ms, or throws HostUnreachableError. */
  async ping(timeoutMs = this.pingTimeoutMs): Promise<number> {
    const started = performance.now();
    await this.call({}, (abortSignal) => withOptions(this.docker.ping, this.docker)({ abortSignal }), timeoutMs);
    return performance.now() - started;
  }

  /**
   * The tenant's bridge network on this host, created when missing. A network of that
   * name that is not this tenant's is an error, never joined: it would put the tenant's
   * containers next to someone else's.
   */
  async ensureNetwork(name: string, tenantId: string): Promise<string> {
    const known = this.knownNetworks.get(name);
    if (known?.tenantId === tenantId) return known.id;
    const id = await this.findOrCreateNetwork(name, tenantId);
    this.knownNetworks.set(name, { tenantId, id });
    return id;
  }

  private async findOrCreateNetwork(name: string, tenantId: string): Promise<string> {
    const existing = await this.findNetwork(name);
    if (existing) return this.owned('network', name, existing.Labels, tenantId, existing.Id);
    try {
      const network = await this.call({}, (abortSignal) =>
        this.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          // Engines before 25 happily create two networks with one name without it.
          CheckDuplicate: true,
          Labels: { [LABELS.managed]: 'true', [LABELS.tenant]: tenantId },
          abortSignal,
        } as Docker.NetworkCreateOptions),
      );
      return network.id;
    } catch (error) {
      // Created concurrently by another call: take that one.
      if (!(error instanceof RuntimeError && error.statusCode === 409)) throw error;
      const raced = await this.findNetwork(name);
      if (!raced) throw error;
      return this.owned('network', name, raced.Labels, tenantId, raced.Id);
    }
  }

  /** Removes a network; false when it did not exist (removal is "make absent"). */
  async removeNetwork(name: string): Promise<boolean> {
    this.knownNetworks.delete(name);
    return this.removeIfPresent(() =>
      this.call({}, (abortSignal) => this.docker.getNetwork(name).remove({ abortSignal })),
    );
  }

  /** A tenant's named volume on this host, created when missing; another tenant's volume is an error. */
  async ensureVolume(name: string, tenantId: string): Promise<string> {
    // Creating an existing volume is not an error: the engine keeps the existing one as it
    // is (labels included), so whoever created it, the inspect below tells whose it is.
    await this.call({}, (abortSignal) =>
      this.docker.createVolume({
        Name: name,
        Driver: 'local',
        Labels: { [LABELS.managed]: 'true', [LABELS.tenant]: tenantId },
        abortSignal,
      }),
    );
    const volume = await this.call({}, (abortSignal) => this.docker.getVolume(name).inspect({ abortSignal }));
    return this.owned('volume', name, volume.Labels, tenantId, name);
  }

  /** Removes a volume; false when it did not exist. Fails while a container still uses it. */
  async removeVolume(name: string): Promise<boolean> {
    return this.removeIfPresent(() =>
      this.call({}, (abortSignal) => this.docker.getVolume(name).remove({ abortSignal })),
    );
  }

  /**
   * Every volume on this engine with its size (`docker system df`); `sizeBytes` is null
   * when the engine could not compute it (it answers -1). The engine walks each volume's
   * files for this, so it is slow on big volumes: call it every few minutes, not per pass.
   */
  async volumeUsage(): Promise<VolumeUsage[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const usage = await this.call({}, (abortSignal) => withOptions(this.docker.df, this.docker)({ abortSignal }));
        return ((usage.Volumes ?? []) as { Name: string; UsageData?: { Size?: number } | null }[]).map((volume) => {
          const size = volume.UsageData?.Size;
          return { name: volume.Name, sizeBytes: typeof size === 'number' && size >= 0 ? size : null };
        });
      } catch (error) {
        // Engines before 23 refuse a second df while one runs (another scheduling instance's).
        const busy = error instanceof RuntimeError && /disk usage operation is already running/i.test(error.message);
        if (!busy || attempt >= 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    }
  }

  /**
   * Creates the container (not started) and answers its engine id. Idempotent by name:
   * when the scheduler crashed after the engine created it but before recording that,
   * the retry finds it instead of creating a duplicate. The image must already be on the
   * host; the driver never pulls.
   */
  async createContainer(spec: RuntimeContainerSpec): Promise<string> {
    const options = containerCreateOptions(spec);
    try {
      const container = await this.call({ image: spec.image }, (abortSignal) =>
        this.docker.createContainer({ ...options, abortSignal }),
      );
      return container.id;
    } catch (error) {
      if (!(error instanceof RuntimeError && error.statusCode === 409)) throw error;
      const existing = await this.inspectRaw(spec.name);
      const labels = existing.Config.Labels ?? {};
      const wanted = spec.labels[LABELS.container];
      if (labels[LABELS.managed] !== 'true' || (wanted !== undefined && labels[LABELS.container] !== wanted)) {
        throw new RuntimeError(`Container name ${spec.name} is taken by a container that is not this one`, 409, {
          cause: error,
        });
      }
      return existing.Id;
    }
  }

  /**
   * Pulls `image` from its registry with a bearer token the platform minted for it (the
   * engine sends it as is: `registrytoken` of X-Registry-Auth), and waits until the
   * engine has every layer. A refusal or failure anywhere in the pull is an ImageTransferError.
   */
  async pullImage(image: string, registryToken: string, timeoutMs = PULL_TIMEOUT_MS): Promise<void> {
    await this.followImageTransfer(image, 'pull', timeoutMs, (abortSignal) =>
      this.docker.pull(image, { authconfig: { registrytoken: registryToken }, abortSignal } as object),
    );
  }

  /**
   * Runs a pull or push and reads its progress stream to the end. The engine reports a
   * failure inside the stream (its last message), not as an HTTP error: both are an
   * ImageTransferError here, as is no end within `timeoutMs`.
   */
  private async followImageTransfer(
    image: string,
    action: 'pull' | 'push',
    timeoutMs: number,
    start: (abortSignal: AbortSignal) => Promise<unknown>,
  ): Promise<TransferMessage[]> {
    const stream = (await this.call({ image }, start, timeoutMs).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImageTransferError(image, reason, { cause: error, action });
    })) as NodeJS.ReadableStream;
    return new Promise<TransferMessage[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        (stream as { destroy?: () => void }).destroy?.();
        reject(new ImageTransferError(image, `no end after ${timeoutMs} ms`, { action }));
      }, timeoutMs);
      this.docker.modem.followProgress(stream, (error: Error | null, output: TransferMessage[]) => {
        clearTimeout(timer);
        const failed = error?.message ?? output.find((message) => message.error)?.error;
        if (failed) reject(new ImageTransferError(image, failed, { action }));
        else resolve(output);
      });
    });
  }

  /**
   * Saves the container's filesystem as `repository:tag` on this engine (`docker commit`;
   * paused meanwhile, so the copy is consistent). Answers the new image's id.
   */
  async commitContainer(engineIdOrName: string, repository: string, tag: string, comment = ''): Promise<string> {
    const answer = (await this.call({ container: engineIdOrName }, (abortSignal) =>
      this.docker.getContainer(engineIdOrName).commit({ repo: repository, tag, comment, pause: true, abortSignal }),
    )) as { Id: string };
    return answer.Id;
  }

  /**
   * Pushes `image` with a bearer token the platform minted for it, and answers the
   * manifest digest the registry stored (the engine reports it in the push's last message).
   */
  async pushImage(image: string, registryToken: string, timeoutMs = PULL_TIMEOUT_MS): Promise<string> {
    const messages = await this.followImageTransfer(image, 'push', timeoutMs, (abortSignal) =>
      this.docker.getImage(image).push({ authconfig: { registrytoken: registryToken }, abortSignal } as object),
    );
    const digest = messages.map((message) => message.aux?.Digest).find(Boolean);
    if (!digest) throw new ImageTransferError(image, 'the engine reported no digest', { action: 'push' });
    return digest;
  }

  /** Starts it; starting a running container is a no-op. */
  async start(engineId: string): Promise<void> {
    try {
      await this.tolerateNotModified(() =>
        this.call({ container: engineId }, (abortSignal) => this.docker.getContainer(engineId).start({ abortSignal })),
      );
    } catch (error) {
      const missing = error instanceof RuntimeError && /^network (\S+) not found/i.exec(error.message);
      if (missing) this.knownNetworks.delete(missing[1]!);
      throw error;
    }
  }

  /** SIGTERM (or the image's stop signal), SIGKILL after `timeoutSeconds`; stopping a stopped container is a no-op. */
  async stop(engineId: string, timeoutSeconds = 10): Promise<void> {
    await this.tolerateNotModified(() =>
      this.call(
        { container: engineId },
        (abortSignal) => this.docker.getContainer(engineId).stop({ t: timeoutSeconds, abortSignal }),
        this.requestTimeoutMs + timeoutSeconds * 1000,
      ),
    );
  }

  async restart(engineId: string, timeoutSeconds = 10): Promise<void> {
    await this.call(
      { container: engineId },
      (abortSignal) => this.docker.getContainer(engineId).restart({ t: timeoutSeconds, abortSignal }),
      this.requestTimeoutMs + timeoutSeconds * 1000,
    );
  }

  /**
   * Removes it with its anonymous volumes (named tenant volumes stay). Without `force`
   * a running container is refused (RuntimeError 409).
   */
  async remove(engineId: string, force = false): Promise<void> {
    await this.call({ container: engineId }, (abortSignal) =>
      this.docker.getContainer(engineId).remove({ force, v: true, abortSignal } as Docker.ContainerRemoveOptions),
    );
  }

  async inspect(engineIdOrName: string): Promise<ObservedContainer> {
    return fromInspect(await this.inspectRaw(engineIdOrName));
  }

  /** Platform containers in every state (caas.managed=true), narrowed by `labels`. */
  async list(options: { labels?: Readonly<Record<string, string>> } = {}): Promise<ObservedContainer[]> {
    const entries = await this.call({}, (abortSignal) =>
      this.docker.listContainers({ all: true, filters: { label: labelFilters(options.labels) }, abortSignal }),
    );
    return entries.map(fromListEntry);
  }

  /**
   * The last lines of stdout and stderr as one text, or with `follow` a stream of lines
   * (object mode, strings) that ends when the container stops; destroy it to stop
   * following.
   */
  logs(engineId: string, options: LogsOptions & { follow?: false }): Promise<string>;
  logs(engineId: string, options: LogsOptions & { follow: true }): Promise<Readable>;
  async logs(engineId: string, options: LogsOptions & { follow?: boolean }): Promise<string | Readable> {
    const container = this.docker.getContainer(engineId);
    const base = { stdout: true, stderr: true, tail: (options.tail ?? 'all') as number };
    if (!options.follow) {
      const buffer = await this.call({ container: engineId }, (abortSignal) =>
        container.logs({ ...base, follow: false, abortSignal }),
      );
      return demultiplexLog(buffer);
    }
    const mapError = (error: unknown) => mapDockerError(error, this.endpoint, { container: engineId });
    return logLines(await this.followLog(engineId, base), mapError);
  }

  /**
   * The log as LogEntry objects (stream, the engine's timestamp, text): the last `tail`
   * lines, and with `follow` every new line until the container stops. Destroy the
   * stream to stop early.
   */
  async logEntries(engineId: string, options: LogsOptions & { follow: boolean }): Promise<Readable> {
    const mapError = (error: unknown) => mapDockerError(error, this.endpoint, { container: engineId });
    const container = this.docker.getContainer(engineId);
    const base = { stdout: true, stderr: true, timestamps: true, tail: (options.tail ?? 'all') as number };
    if (!options.follow) {
      const buffer = await this.call({ container: engineId }, (abortSignal) =>
        container.logs({ ...base, follow: false, abortSignal }),
      );
      return logLines(Readable.from([buffer]), mapError, { timestamped: true });
    }
    return logLines(await this.followLog(engineId, base), mapError, { timestamped: true });
  }

  /** A followed log has no end in time: the timeout covers only getting the answer's headers. */
  private async followLog(
    engineId: string,
    options: { stdout: boolean; stderr: boolean; tail: number; timestamps?: boolean },
  ): Promise<NodeJS.ReadableStream> {
    const connecting = new AbortController();
    const timer = setTimeout(() => connecting.abort(), this.requestTimeoutMs);
    try {
      return await this.docker
        .getContainer(engineId)
        .logs({ ...options, follow: true, abortSignal: connecting.signal });
    } catch (error) {
      throw mapDockerError(error, this.endpoint, { container: engineId });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Lifecycle events of platform containers; see ContainerEventFeed for the reconnect contract. */
  events(options: ContainerEventsOptions = {}): ContainerEventFeed {
    return new ContainerEventFeed(this.docker, this.endpoint, () => this.ping(), options);
  }

  private inspectRaw(engineIdOrName: string): Promise<Docker.ContainerInspectInfo> {
    return this.call({ container: engineIdOrName }, (abortSignal) =>
      this.docker.getContainer(engineIdOrName).inspect({ abortSignal }),
    );
  }

  private async findNetwork(name: string): Promise<Docker.NetworkInspectInfo | undefined> {
    // The engine's name filter matches substrings: keep the exact name only.
    const networks = await this.call({}, (abortSignal) =>
      this.docker.listNetworks({ filters: { name: [name] }, abortSignal } as Docker.NetworkListOptions),
    );
    return networks.find((network) => network.Name === name);
  }

  private owned(
    kind: string,
    name: string,
    labels: Record<string, string> | undefined,
    tenantId: string,
    id: string,
  ): string {
    if (labels?.[LABELS.managed] !== 'true' || labels[LABELS.tenant] !== tenantId) {
      throw new RuntimeError(`The ${kind} ${name} on ${this.endpoint} exists but is not tenant ${tenantId}'s`, 409);
    }
    return id;
  }

  private async removeIfPresent(remove: () => Promise<unknown>): Promise<boolean> {
    try {
      await remove();
      return true;
    } catch (error) {
      if (error instanceof RuntimeError && error.statusCode === 404) return false;
      throw error;
    }
  }

  /** 304 Not Modified: already started / already stopped, which is what the caller wanted. */
  private async tolerateNotModified(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof RuntimeError && error.statusCode === 304)) throw error;
    }
  }

  /** One engine call with a deadline, its failure mapped to the driver's errors. */
  private async call<T>(
    subject: ErrorSubject,
    request: (abortSignal: AbortSignal) => Promise<T>,
    timeoutMs = this.requestTimeoutMs,
  ): Promise<T> {
    try {
      return await request(AbortSignal.timeout(timeoutMs));
    } catch (error) {
      throw mapDockerError(error, this.endpoint, subject);
    }
  }
}

/** A dockerode method whose typings lack the `{ abortSignal }` options argument it accepts. */
function withOptions(method: (...args: never[]) => unknown, self: Docker) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the untyped engine answer, read field by field
  return method.bind(self) as unknown as (options: { abortSignal: AbortSignal }) => Promise<any>;
}
