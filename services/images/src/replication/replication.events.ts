import type { ReplicationEvent } from '@caas/contracts';
import { assertNever, deterministicUuid } from '@caas/domain';
import { streamName } from '@caas/event-store';

export type { ReplicationEvent };

/**
 * One replication per repository, target registry and target name: asking for the same
 * one twice is a conflict, and one removed and asked for again continues its stream.
 */
export const replicationIdOf = (repositoryId: string, targetUrl: string, targetRepository: string) =>
  deterministicUuid(`replication:${repositoryId}:${targetUrl}/${targetRepository}`);
export const replicationStream = (replicationId: string) => streamName('replication', replicationId);

export interface ReplicationState {
  readonly exists: boolean;
  readonly replicationId: string;
  readonly tenantId: string;
  readonly repositoryId: string;
  readonly repository: string;
  readonly sourceRegistry: string;
  readonly targetUrl: string;
  readonly targetRepository: string;
  /** Tag → the digest last replicated under it. */
  readonly replicated: Readonly<Record<string, string>>;
}

export const initialReplicationState = (): ReplicationState => ({
  exists: false,
  replicationId: '',
  tenantId: '',
  repositoryId: '',
  repository: '',
  sourceRegistry: '',
  targetUrl: '',
  targetRepository: '',
  replicated: {},
});

export function evolveReplication(state: ReplicationState, event: ReplicationEvent): ReplicationState {
  switch (event.type) {
    case 'ReplicationCreated': {
      const { replicationId, tenantId, repositoryId, repository, sourceRegistry, targetUrl, targetRepository } =
        event.data;
      return {
        ...initialReplicationState(),
        exists: true,
        replicationId,
        tenantId,
        repositoryId,
        repository,
        sourceRegistry,
        targetUrl,
        targetRepository,
      };
    }
    case 'ReplicationRemoved':
      return { ...state, exists: false, replicated: {} };
    case 'ImageReplicated':
      return { ...state, replicated: { ...state.replicated, [event.data.tag]: event.data.digest } };
    case 'ReplicationFailed':
      return state;
    default:
      return assertNever(event);
  }
}

/** `host[:port]/<repository>:<tag>` in the target registry, as `docker pull` names it there. */
export function targetReference(state: ReplicationState, tag: string): string {
  return `${new URL(state.targetUrl).host}/${state.targetRepository}:${tag}`;
}
