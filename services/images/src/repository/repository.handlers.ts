import {
  type CreatedRepository,
  CreateRepositoryV1,
  IMAGES,
  RemoveTagV1,
  RepositoryRefV1,
  type RepositoryView,
  type StorageUsageView,
  UpdateRepositoryV1,
  WRITING_ROLES,
  conflict,
  notFound,
} from '@caas/contracts';
import { handleCommand, loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { contextOf } from '@caas/messaging/src/rpc/command-context';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { tenantMember } from '@caas/messaging/src/rpc/tenant-scope';
import { ReadYourWrites } from '@caas/read-model';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ImageStorage } from '../quota/image-storage';
import { RegistryAdmin } from '../registry/registry-admin';
import { EVENT_STORE } from '../shared/tokens';
import { type RepositoryCommand, repositoryDecider } from './repository.decider';
import { type RepositoryState, repositoryIdOf, repositoryStream, tagsOf } from './repository.events';
import { type RepositoryCaller, requireRole } from './repository.guards';
import { RepositoryQueries } from './repository.queries';

/**
 * A tenant's repositories over NATS. The tenant is the credential's; another tenant's
 * repository is not found (a public one may be read, never changed). Commands answer
 * once the read model shows them.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class RepositoryHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly queries: RepositoryQueries,
    private readonly readYourWrites: ReadYourWrites,
    private readonly registry: RegistryAdmin,
    private readonly storage: ImageStorage,
  ) {}

  @MessagePattern(IMAGES.createRepository)
  async create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CreatedRepository> {
    const body = await validated(CreateRepositoryV1, payload);
    const caller = tenantMember(meta);
    const repository = `${caller.tenantId}/${body.name}`;
    const repositoryId = repositoryIdOf(repository);
    await this.run(meta, caller, repositoryId, {
      kind: 'CreateRepository',
      caller,
      repositoryId,
      repository,
      visibility: body.visibility ?? 'private',
      description: body.description ?? '',
      usageGuide: body.usageGuide ?? '',
      at: new Date().toISOString(),
    });
    return { repositoryId, repository };
  }

  @MessagePattern(IMAGES.updateRepository)
  async update(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<RepositoryView> {
    const { repositoryId, visibility, description, usageGuide } = await validated(UpdateRepositoryV1, payload);
    const caller = tenantMember(meta);
    const at = new Date().toISOString();
    await this.run(meta, caller, repositoryId, {
      kind: 'UpdateRepository',
      caller,
      repositoryId,
      visibility,
      description,
      usageGuide,
      at,
    });
    return this.queries.get(caller.tenantId, repositoryId);
  }

  /** Deletes its images from the registry, then records it removed. */
  @MessagePattern(IMAGES.removeRepository)
  async remove(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ repositoryId: string }> {
    const { repositoryId } = await validated(RepositoryRefV1, payload);
    const caller = tenantMember(meta);
    const state = await this.ownState(caller, repositoryId);
    const command: RepositoryCommand = { kind: 'RemoveRepository', caller, repositoryId, at: new Date().toISOString() };
    // Decided once before touching the registry, so a refused caller deletes nothing.
    repositoryDecider.decide(command, state);
    const digests = new Set(Object.values(state.tags).map((tag) => tag.digest));
    for (const digest of digests) await this.registry.deleteImage(state.repository, digest);
    await this.run(meta, caller, repositoryId, command);
    return { repositoryId };
  }

  /**
   * The registry deletes manifests, not tags: a tag is deleted with its image, so a tag
   * that shares its image with others is refused (naming them) rather than taking them along.
   */
  @MessagePattern(IMAGES.removeTag)
  async removeTag(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<RepositoryView> {
    const { repositoryId, tag } = await validated(RemoveTagV1, payload);
    const caller = tenantMember(meta);
    const state = await this.ownState(caller, repositoryId);
    requireRole(caller, WRITING_ROLES, 'delete tags');
    const target = state.tags[tag];
    if (!target) throw notFound('Tag', tag);
    const at = new Date().toISOString();
    const command: RepositoryCommand = { kind: 'RecordImageDeleted', repositoryId, digest: target.digest, at };
    const sharing = tagsOf(state, target.digest).filter((other) => other !== tag);
    if (sharing.length > 0) {
      throw conflict(`Tag '${tag}' is the same image as ${sharing.map((t) => `'${t}'`).join(', ')}: delete those too`, {
        tag,
        digest: target.digest,
        tags: sharing,
      });
    }
    await this.registry.deleteImage(state.repository, target.digest);
    await this.run(meta, caller, repositoryId, command);
    return this.queries.get(caller.tenantId, repositoryId);
  }

  @MessagePattern(IMAGES.getRepository)
  async get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<RepositoryView> {
    const { repositoryId } = await validated(RepositoryRefV1, payload);
    return this.queries.get(tenantMember(meta).tenantId, repositoryId);
  }

  @MessagePattern(IMAGES.storageUsage)
  async storageUsage(@Meta() meta: RequestMeta): Promise<StorageUsageView> {
    const { tenantId, role } = tenantMember(meta);
    return this.storage.usage(meta, tenantId, role);
  }

  @MessagePattern(IMAGES.listRepositories)
  async list(@Meta() meta: RequestMeta): Promise<RepositoryView[]> {
    return this.queries.list(tenantMember(meta).tenantId);
  }

  private async ownState(caller: RepositoryCaller, repositoryId: string): Promise<RepositoryState> {
    const { state } = await loadState(this.store, repositoryDecider, repositoryStream(repositoryId));
    if (!state.exists || state.tenantId !== caller.tenantId) throw notFound('Repository', repositoryId);
    return state;
  }

  private async run(
    meta: RequestMeta,
    caller: RepositoryCaller,
    repositoryId: string,
    command: RepositoryCommand,
  ): Promise<void> {
    const stream = repositoryStream(repositoryId);
    const result = await handleCommand(
      this.store,
      repositoryDecider,
      stream,
      command,
      contextOf(meta, caller.tenantId),
    );
    await this.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
  }
}
