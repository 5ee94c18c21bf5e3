import {
  CreateReplicationV1,
  IMAGES,
  MANAGING_ROLES,
  ReplicationRefV1,
  type ReplicationView,
  RepositoryRefV1,
  invalid,
} from '@caas/contracts';
import { type CommandContext, handleCommand, loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { contextOf } from '@caas/messaging/src/rpc/command-context';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { tenantMember } from '@caas/messaging/src/rpc/tenant-scope';
import { ReadYourWrites } from '@caas/read-model';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RegistryReach } from '../import/import.settings';
import { registryUrlOf } from '../import/registry-url';
import { RegistryAdmin } from '../registry/registry-admin';
import { RegistryClient } from '../registry-client/registry-client';
import { repositoryDecider } from '../repository/repository.decider';
import { type RepositoryState, repositoryStream } from '../repository/repository.events';
import { type RepositoryCaller, requireOwn, requireRole } from '../repository/repository.guards';
import { credentialsOf } from '../shared/credentials-input';
import { EVENT_STORE } from '../shared/tokens';
import { ReplicationCredentials } from './replication-credentials';
import { type ReplicationCommand, replicationDecider } from './replication.decider';
import { replicationIdOf, replicationStream } from './replication.events';
import { ReplicationQueries } from './replication.queries';
import { targetError } from './target-errors';

/**
 * A repository's replications to other registries, over NATS: owners and admins create
 * and remove them, every member lists them. The repository is the caller's tenant's, or
 * not found. Answers once the read model shows the change.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class ReplicationHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly queries: ReplicationQueries,
    private readonly credentials: ReplicationCredentials,
    private readonly readYourWrites: ReadYourWrites,
    private readonly registry: RegistryAdmin,
    private readonly reach: RegistryReach,
  ) {}

  /**
   * Checks the target answers with these credentials before anything is recorded (as
   * Harbor's "test connection"): a typo is a 400 now, not a failing replication later.
   * Then the credentials go to their private stream, then the replication is created.
   */
  @MessagePattern(IMAGES.createReplication)
  async create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ReplicationView> {
    const body = await validated(CreateReplicationV1, payload);
    const caller = tenantMember(meta);
    const repository = await this.ownRepository(caller, body.repositoryId);
    requireRole(caller, MANAGING_ROLES, 'replicate repositories');
    const targetUrl = new URL(body.targetUrl).origin;
    this.requireTransport(targetUrl);
    const targetRepository = body.targetRepository ?? repository.repository;
    const replicationId = replicationIdOf(body.repositoryId, targetUrl, targetRepository);
    const command: ReplicationCommand = {
      kind: 'CreateReplication',
      caller,
      replicationId,
      repositoryId: body.repositoryId,
      repository: repository.repository,
      sourceRegistry: this.registry.client.url,
      targetUrl,
      targetRepository,
      at: new Date().toISOString(),
    };
    // Decided once before the target is asked or a credential stored: a conflict costs nothing.
    const { state } = await loadState(this.store, replicationDecider, replicationStream(replicationId));
    replicationDecider.decide(command, state);

    const credentials = credentialsOf(body);
    await new RegistryClient({ url: targetUrl, credentials }).ping().catch((error: unknown) => {
      throw targetError(error, targetUrl, !!credentials);
    });
    const context = contextOf(meta, caller.tenantId);
    await this.credentials.save(replicationId, credentials, context);
    await this.run(context, replicationId, command);
    return (await this.queries.get(caller.tenantId, replicationId))!;
  }

  @MessagePattern(IMAGES.listReplications)
  async list(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<ReplicationView[]> {
    const { repositoryId } = await validated(RepositoryRefV1, payload);
    const caller = tenantMember(meta);
    await this.ownRepository(caller, repositoryId);
    return this.queries.list(caller.tenantId, repositoryId);
  }

  /** Stops replicating; what is in the target stays there. Its credentials are erased. */
  @MessagePattern(IMAGES.removeReplication)
  async remove(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ replicationId: string }> {
    const { repositoryId, replicationId } = await validated(ReplicationRefV1, payload);
    const caller = tenantMember(meta);
    const context = contextOf(meta, caller.tenantId);
    await this.run(context, replicationId, {
      kind: 'RemoveReplication',
      caller,
      replicationId,
      repositoryId,
      at: new Date().toISOString(),
    });
    await this.credentials.erase(replicationId, context);
    return { replicationId };
  }

  private async ownRepository(caller: RepositoryCaller, repositoryId: string): Promise<RepositoryState> {
    const { state } = await loadState(this.store, repositoryDecider, repositoryStream(repositoryId));
    requireOwn(state, caller, repositoryId);
    return state;
  }

  /** Plain http to a registry elsewhere would send its credentials and images in clear: the operator's call only. */
  private requireTransport(targetUrl: string): void {
    const { protocol, host } = new URL(targetUrl);
    if (protocol === 'http:' && registryUrlOf(host, this.reach.insecureRegistries).startsWith('https:')) {
      throw invalid('targetUrl', 'https', `targetUrl must use https: ${host} is not a loopback or insecure registry`);
    }
  }

  private async run(context: CommandContext, replicationId: string, command: ReplicationCommand): Promise<void> {
    const stream = replicationStream(replicationId);
    const result = await handleCommand(this.store, replicationDecider, stream, command, context);
    await this.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
  }
}
