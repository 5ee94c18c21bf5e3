import { IMAGES, PullTokenV1, RegistryNotificationV1, type RegistryToken, RegistryTokenV1 } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { tenantInScope, tenantMember } from '@caas/messaging/src/rpc/tenant-scope';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { repositoryDecider } from '../repository/repository.decider';
import { repositoryIdOf, repositoryStream } from '../repository/repository.events';
import { EVENT_STORE } from '../shared/tokens';
import { RegistryAdmin } from './registry-admin';
import { type RegistryFact, registryFactOf } from './registry-notification';
import { RegistryTokenService } from './registry-token.service';
import { isRegistryNotFound } from '../registry-client/registry-error';

/** The registry as an actor: what it tells us happened. */
const REGISTRY_ACTOR = { type: 'system', id: 'registry' } as const;

/** The platform registry's two calls, forwarded by the gateway: its token realm and its notifications. */
@Controller()
@UseFilters(RpcErrorFilter)
export class RegistryHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly tokens: RegistryTokenService,
    private readonly registry: RegistryAdmin,
  ) {}

  @MessagePattern(IMAGES.issueRegistryToken)
  async issueToken(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<RegistryToken> {
    return this.tokens.issue(await validated(RegistryTokenV1, payload), meta);
  }

  @MessagePattern(IMAGES.issuePullToken)
  async issuePullToken(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<RegistryToken> {
    const { repository } = await validated(PullTokenV1, payload);
    return this.tokens.issuePullToken(repository, tenantInScope(meta));
  }

  @MessagePattern(IMAGES.issuePushToken)
  async issuePushToken(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<RegistryToken> {
    const { repository } = await validated(PullTokenV1, payload);
    const { tenantId, role } = tenantMember(meta);
    return this.tokens.issuePushToken(repository, tenantId, role, meta);
  }

  /**
   * Records every fact of the envelope, in order; answers once all are in the store, so a
   * failure makes the registry send the envelope again. Each event's id is its command
   * id: what an earlier delivery recorded is found, not recorded twice.
   */
  @MessagePattern(IMAGES.recordRegistryNotification)
  async recordNotification(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ recorded: number }> {
    const envelope = await validated(RegistryNotificationV1, payload);
    let recorded = 0;
    for (const event of envelope.events) {
      const fact = registryFactOf(event);
      if (fact) recorded += await this.record(fact, meta.correlationId);
    }
    return { recorded };
  }

  private async record(fact: RegistryFact, correlationId: string): Promise<number> {
    const size = fact.kind === 'pushed' ? await this.sizeOf(fact.repository, fact.digest) : 0;
    // Deleted before we could size it: its delete notification is on its way.
    if (size === undefined) return 0;
    const repositoryId = repositoryIdOf(fact.repository);
    const stream = repositoryStream(repositoryId);
    const context = {
      tenantId: fact.tenantId,
      actor: REGISTRY_ACTOR,
      correlationId,
      causationId: fact.eventId,
      commandId: `registry:${fact.eventId}`,
    };
    const command =
      fact.kind === 'pushed'
        ? {
            kind: 'RecordImagePushed' as const,
            repositoryId,
            tenantId: fact.tenantId,
            repository: fact.repository,
            tag: fact.tag,
            digest: fact.digest,
            mediaType: fact.mediaType,
            size,
            pushedAt: fact.at,
            pushedBy: fact.by,
          }
        : { kind: 'RecordImageDeleted' as const, repositoryId, digest: fact.digest, at: fact.at };
    const { events } = await handleCommand(this.store, repositoryDecider, stream, command, context);
    return events.length;
  }

  private async sizeOf(repository: string, digest: string): Promise<number | undefined> {
    try {
      return await this.registry.sizeOf(repository, digest);
    } catch (error) {
      if (isRegistryNotFound(error)) return undefined;
      throw error;
    }
  }
}
