import type { ReplicationEvent, ReplicationState } from './replication.events';

/** One attempt at copying `digest` under `tag` failed. */
export interface RecordReplicationFailed {
  readonly kind: 'RecordReplicationFailed';
  readonly replicationId: string;
  readonly tag: string;
  readonly digest: string;
  readonly reason: string;
  readonly attempt: number;
  /** Null: given up (the image is gone from the platform registry). */
  readonly retryAt: string | null;
  readonly at: string;
}

/** Every failed attempt is recorded, so the view shows why a tag is not there yet; not for a removed replication. */
export function recordReplicationFailed(command: RecordReplicationFailed, state: ReplicationState): ReplicationEvent[] {
  const { replicationId, tag, digest, reason, attempt, retryAt, at } = command;
  if (!state.exists) return [];
  const { tenantId, repositoryId, repository } = state;
  return [
    {
      type: 'ReplicationFailed',
      data: { replicationId, tenantId, repositoryId, repository, tag, digest, reason, attempt, retryAt, at },
    },
  ];
}
