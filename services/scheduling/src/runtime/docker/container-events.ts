import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { delay, exponentialBackoff } from '@caas/event-store';
import { HostUnreachableError, RuntimeError } from './errors';
import { labelFilters } from './label-filters';
import type { HealthStatus } from './observed-container';

export type ContainerAction =
  'create' | 'start' | 'restart' | 'kill' | 'die' | 'oom' | 'stop' | 'destroy' | 'health_status';

const DEFAULT_ACTIONS: readonly ContainerAction[] = [
  'create',
  'start',
  'restart',
  'kill',
  'die',
  'oom',
  'stop',
  'destroy',
  'health_status',
];

/** One lifecycle change of a platform container, as the engine reported it. */
export interface ContainerEvent {
  readonly action: ContainerAction;
  readonly engineId: string;
  readonly name: string;
  readonly image: string;
  /** The container's labels (caas.tenant, caas.container, …). */
  readonly labels: Readonly<Record<string, string>>;
  /** `die` only. */
  readonly exitCode?: number;
  /** `kill` only: the signal number sent. */
  readonly signal?: number;
  /** `health_status` only. */
  readonly health?: HealthStatus;
  /** When the engine saw it (ISO, from the engine's clock). */
  readonly time: string;
}

/**
 * What the feed yields. `connected` comes each time the feed (re)attaches to the engine,
 * `disconnected` once per outage: events during an outage are lost, so on `connected`
 * the reconciler re-lists the host instead of trusting the feed to be complete.
 */
export type ContainerFeedMessage =
  | { readonly kind: 'connected' }
  | { readonly kind: 'disconnected'; readonly error: Error }
  | { readonly kind: 'event'; readonly event: ContainerEvent };

export interface ContainerEventsOptions {
  /** Only containers carrying all these labels (caas.managed=true is always required). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly actions?: readonly ContainerAction[];
  /**
   * While attached, ping the engine this often: a TCP engine behind a dead network never
   * closes the stream, and the feed would wait forever without noticing. Default 5 s.
   */
  readonly watchdogIntervalMs?: number;
  /** How long one attach may wait for the engine's answer before it counts as failed (10 s). */
  readonly connectTimeoutMs?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** The engine attributes that are not container labels. */
const NON_LABEL_ATTRIBUTES = new Set(['name', 'image', 'exitCode', 'signal', 'execDuration']);

/**
 * The engine's event stream for platform containers, re-attached with backoff whenever
 * the engine goes away and comes back. Iterate it once; `close()` (or breaking out of the
 * loop) detaches.
 */
export class ContainerEventFeed implements AsyncIterable<ContainerFeedMessage> {
  private readonly closed = new AbortController();
  private iterated = false;

  constructor(
    private readonly docker: Docker,
    private readonly endpoint: string,
    private readonly ping: () => Promise<unknown>,
    private readonly options: ContainerEventsOptions = {},
  ) {}

  close(): void {
    this.closed.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ContainerFeedMessage> {
    if (this.iterated) throw new Error('A container event feed can be iterated only once');
    this.iterated = true;
    const filters = {
      type: ['container'],
      label: labelFilters(this.options.labels),
      event: [...(this.options.actions ?? DEFAULT_ACTIONS)],
    };
    let attempt = 0;
    let connected: boolean | undefined;
    while (!this.closed.signal.aborted) {
      // One controller per attachment, so the watchdog can drop just this one.
      const attachment = new AbortController();
      const onClose = () => attachment.abort();
      this.closed.signal.addEventListener('abort', onClose, { once: true });
      let stream: Readable | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      let lost: Error;
      try {
        const connectTimer = setTimeout(() => attachment.abort(), this.options.connectTimeoutMs ?? 10_000);
        try {
          const request = { filters, abortSignal: attachment.signal } as Docker.GetEventsOptions;
          stream = (await this.docker.getEvents(request)) as Readable;
        } finally {
          clearTimeout(connectTimer);
        }
        attempt = 0;
        connected = true;
        yield { kind: 'connected' };
        watchdog = this.startWatchdog(stream);
        for await (const raw of jsonLines(stream)) {
          const event = toContainerEvent(raw);
          if (event) yield { kind: 'event', event };
        }
        lost = new HostUnreachableError(this.endpoint, 'the engine closed the event stream');
      } catch (error) {
        // A 4xx means the request itself is wrong (a bad filter): retrying cannot help.
        if (isClientError(error)) throw new RuntimeError(describe(error), statusOf(error), { cause: error });
        lost =
          error instanceof HostUnreachableError
            ? error
            : new HostUnreachableError(this.endpoint, describe(error), { cause: error });
      } finally {
        clearInterval(watchdog);
        this.closed.signal.removeEventListener('abort', onClose);
        stream?.destroy();
      }
      if (this.closed.signal.aborted) return;
      if (connected !== false) yield { kind: 'disconnected', error: lost };
      connected = false;
      attempt += 1;
      const backoff = exponentialBackoff(
        attempt,
        this.options.initialBackoffMs ?? 100,
        this.options.maxBackoffMs ?? 2_000,
      );
      await delay(backoff, this.closed.signal);
    }
  }

  private startWatchdog(stream: Readable): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.ping().catch((error: unknown) => {
        const reason = error instanceof Error ? error : new Error(String(error));
        stream.destroy(
          new HostUnreachableError(this.endpoint, `watchdog ping failed: ${reason.message}`, { cause: reason }),
        );
      });
    }, this.options.watchdogIntervalMs ?? 5_000);
    timer.unref();
    return timer;
  }
}

/** The engine writes one JSON object per line. */
async function* jsonLines(stream: Readable): AsyncGenerator<unknown> {
  // Decoded by the stream, so a multi-byte character cut between two chunks stays whole.
  stream.setEncoding('utf8');
  let buffered = '';
  for await (const chunk of stream) {
    buffered += chunk as string;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line);
    }
  }
}

interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

export function toContainerEvent(raw: unknown): ContainerEvent | undefined {
  const e = raw as EngineEvent;
  if (e.Type !== 'container' || !e.Action || !e.Actor?.ID) return undefined;
  // "health_status: healthy" carries its value in the action; "exec_start: sh" and the like are not asked for.
  const [action, detail] = e.Action.split(/:\s*/, 2) as [ContainerAction, string | undefined];
  const attributes = e.Actor.Attributes ?? {};
  const labels = Object.fromEntries(Object.entries(attributes).filter(([key]) => !NON_LABEL_ATTRIBUTES.has(key)));
  const millis = e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000;
  return {
    action,
    engineId: e.Actor.ID,
    name: attributes.name ?? '',
    image: attributes.image ?? '',
    labels,
    ...(attributes.exitCode !== undefined ? { exitCode: Number(attributes.exitCode) } : {}),
    ...(attributes.signal !== undefined ? { signal: Number(attributes.signal) } : {}),
    ...(action === 'health_status' && detail ? { health: detail as HealthStatus } : {}),
    time: new Date(millis).toISOString(),
  };
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; statusCode?: number };
  if (e?.statusCode) return `the engine answered ${e.statusCode}: ${e.message ?? ''}`;
  return [e?.code, e?.message].filter(Boolean).join(' ') || String(error);
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function isClientError(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500;
}
