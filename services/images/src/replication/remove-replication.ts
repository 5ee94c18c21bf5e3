import { MANAGING_ROLES, notFound } from '@caas/contracts';
import { type RepositoryCaller, requireRole } from '../repository/repository.guards';
import type { ReplicationEvent, ReplicationState } from './replication.events';

export interface RemoveReplication {
  readonly kind: 'RemoveReplication';
  readonly caller: RepositoryCaller;
  readonly replicationId: string;
  /** From the path: a replication of another repository (or tenant) is not found. */
  readonly repositoryId: string;
  readonly at: string;
}

/** Managers only. Nothing is deleted from the target: what was replicated stays there. */
export function removeReplication(command: RemoveReplication, state: ReplicationState): ReplicationEvent[] {
  const { caller, replicationId, repositoryId, at } = command;
  if (!state.exists || state.tenantId !== caller.tenantId || state.repositoryId !== repositoryId) {
    throw notFound('Replication', replicationId);
  }
  requireRole(caller, MANAGING_ROLES, 'remove replications');
  const { tenantId, repository } = state;
  return [{ type: 'ReplicationRemoved', data: { replicationId, tenantId, repositoryId, repository, at } }];
}
