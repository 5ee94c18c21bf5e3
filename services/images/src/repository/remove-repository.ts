import { MANAGING_ROLES } from '@caas/contracts';
import { type RepositoryEvent, type RepositoryState, tagsOf } from './repository.events';
import { type RepositoryCaller, requireOwn, requireRole } from './repository.guards';

export interface RemoveRepository {
  readonly kind: 'RemoveRepository';
  readonly caller: RepositoryCaller;
  readonly repositoryId: string;
  readonly at: string;
}

/**
 * Managers only. Every image still tagged is recorded deleted before the repository goes,
 * so whoever counts storage from ImagePushed/ImageDeleted never needs RepositoryRemoved
 * to balance. (The handler has deleted the manifests from the registry first.)
 */
export function removeRepository(command: RemoveRepository, state: RepositoryState): RepositoryEvent[] {
  const { caller, repositoryId, at } = command;
  requireOwn(state, caller, repositoryId);
  requireRole(caller, MANAGING_ROLES, 'remove repositories');
  const { tenantId, repository } = state;
  const digests = [...new Set(Object.values(state.tags).map((tag) => tag.digest))].sort();
  return [
    ...digests.map((digest): RepositoryEvent => ({
      type: 'ImageDeleted',
      data: {
        repositoryId,
        tenantId,
        repository,
        digest,
        tags: tagsOf(state, digest),
        size: sizeOf(state, digest),
        at,
      },
    })),
    { type: 'RepositoryRemoved', data: { repositoryId, tenantId, repository, at } },
  ];
}

export function sizeOf(state: RepositoryState, digest: string): number {
  return Object.values(state.tags).find((tag) => tag.digest === digest)?.size ?? 0;
}
