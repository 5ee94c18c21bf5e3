import { MANAGING_ROLES, conflict } from '@caas/contracts';
import { type RepositoryCaller, requireRole } from '../repository/repository.guards';
import type { ReplicationEvent, ReplicationState } from './replication.events';

export interface CreateReplication {
  readonly kind: 'CreateReplication';
  readonly caller: RepositoryCaller;
  readonly replicationId: string;
  /** The caller's own repository: the handler has checked it (another tenant's is not found). */
  readonly repositoryId: string;
  readonly repository: string;
  readonly sourceRegistry: string;
  readonly targetUrl: string;
  readonly targetRepository: string;
  readonly at: string;
}

/**
 * Managers only (owner, admin): a replication copies every image to a registry outside
 * the platform. The same repository, target and name twice is a conflict.
 */
export function createReplication(command: CreateReplication, state: ReplicationState): ReplicationEvent[] {
  const { caller, replicationId, repositoryId, repository, sourceRegistry, targetUrl, targetRepository, at } = command;
  requireRole(caller, MANAGING_ROLES, 'replicate repositories');
  if (state.exists) {
    throw conflict(`'${repository}' is already replicated to ${targetUrl}/${targetRepository}`, { replicationId });
  }
  return [
    {
      type: 'ReplicationCreated',
      data: {
        replicationId,
        tenantId: caller.tenantId,
        repositoryId,
        repository,
        sourceRegistry,
        targetUrl,
        targetRepository,
        at,
      },
    },
  ];
}
