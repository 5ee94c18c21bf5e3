import { type CommandContext, handleCommand, loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { DataSource } from 'typeorm';
import { unreachableCause } from '../import/source-errors';
import type { RegistryAdmin } from '../registry/registry-admin';
import { copyImage } from '../registry-client/copy-image';
import { RegistryClient } from '../registry-client/registry-client';
import { retryDelayMs } from './replication-backoff';
import type { ReplicationCredentials } from './replication-credentials';
import { type WorkItem, claimCopy, finishCopy, retryCopyAt } from './replication-work';
import { type ReplicationCommand, replicationDecider } from './replication.decider';
import { replicationStream } from './replication.events';

export interface ReplicationWorkerOptions {
  /** How often it looks for due copies when it found none (default 1 s). */
  readonly pollMs?: number;
  /** How long a claimed copy is its own before another instance may take it (default 5 min). */
  readonly leaseSeconds?: number;
  readonly onError?: (error: unknown) => void;
}

/** The copies as an actor: what it records happened because of a push, not a request. */
const WORKER_ACTOR = { type: 'system', id: 'replication' } as const;
const MAX_REASON = 500;

/**
 * Makes the copies the reactor queued, for this platform registry: one at a time,
 * claimed with a lease, so instances share the queue and a dead one's copy is taken
 * over. A success records ImageReplicated (idempotent by tag and digest: a copy made
 * twice after a crash is recorded once); a failure records ReplicationFailed and is
 * tried again with backoff, for as long as the replication exists.
 */
export class ReplicationWorker {
  private stopped = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly registry: RegistryAdmin,
    private readonly credentials: ReplicationCredentials,
    private readonly options: ReplicationWorkerOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let worked = false;
      try {
        worked = await this.copyNext();
      } catch (error) {
        // The claim or the bookkeeping failed (database, store): the lease runs out and it is taken again.
        this.options.onError?.(error);
      }
      if (!worked) await this.pause(this.options.pollMs ?? 1_000);
    }
  }

  /** False when nothing was due. */
  private async copyNext(): Promise<boolean> {
    const item = await claimCopy(this.dataSource.manager, this.registry.client.url, this.options.leaseSeconds ?? 300);
    if (!item) return false;
    const { state } = await loadState(this.store, replicationDecider, replicationStream(item.replicationId));
    if (!state.exists) {
      await finishCopy(this.dataSource.manager, item);
      return true;
    }
    const at = new Date();
    try {
      // Gone from the platform registry (deleted since the push): nothing left to copy, ever.
      if ((await this.registry.client.manifestExists(state.repository, item.digest)) === undefined) {
        await this.record(
          item,
          state.tenantId,
          failed(item, 'the image is no longer in the platform registry', null, at),
        );
        await finishCopy(this.dataSource.manager, item);
        return true;
      }
      const target = new RegistryClient({
        url: state.targetUrl,
        credentials: await this.credentials.read(item.replicationId),
      });
      await copyImage(
        { client: this.registry.client, repository: state.repository, reference: item.digest },
        { client: target, repository: state.targetRepository, tag: item.tag },
      );
    } catch (error) {
      const retryAt = new Date(at.getTime() + retryDelayMs(item.attempts + 1));
      await this.record(item, state.tenantId, failed(item, reasonOf(error), retryAt.toISOString(), at));
      await retryCopyAt(this.dataSource.manager, item, retryAt);
      return true;
    }
    await this.record(item, state.tenantId, {
      kind: 'RecordImageReplicated',
      replicationId: item.replicationId,
      tag: item.tag,
      digest: item.digest,
      at: new Date().toISOString(),
    });
    await finishCopy(this.dataSource.manager, item);
    return true;
  }

  /**
   * No command id: a copy recorded again after a crash is decided again, and the decider
   * records a tag at a digest once (a repeated failure is one more failed attempt, which it was).
   */
  private async record(item: WorkItem, tenantId: string, command: ReplicationCommand): Promise<void> {
    const correlationId = `replication:${item.replicationId}:${item.tag}:${item.digest}`;
    const context: CommandContext = { tenantId, actor: WORKER_ACTOR, correlationId, causationId: correlationId };
    await handleCommand(this.store, replicationDecider, replicationStream(item.replicationId), command, context);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function failed(item: WorkItem, reason: string, retryAt: string | null, at: Date): ReplicationCommand {
  return {
    kind: 'RecordReplicationFailed',
    replicationId: item.replicationId,
    tag: item.tag,
    digest: item.digest,
    reason,
    attempt: item.attempts + 1,
    retryAt,
    at: at.toISOString(),
  };
}

/** What the tenant sees: the registry's words, or the socket error; never a stack. */
function reasonOf(error: unknown): string {
  const unreachable = unreachableCause(error);
  const reason = unreachable ? `the target registry cannot be reached (${unreachable})` : (error as Error).message;
  return String(reason).slice(0, MAX_REASON);
}
