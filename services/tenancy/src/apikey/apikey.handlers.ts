import {
  ApiKeyRefV1,
  type ApiKeyView,
  type AuthenticatedApiKey,
  CaasError,
  CreateApiKeyV1,
  type CreatedApiKey,
  TENANCY,
  VerifyApiKeyV1,
  conflict,
} from '@caas/contracts';
import { eventMetadata } from '@caas/domain';
import { type EventStore, WrongExpectedVersionError } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { callerOf } from '../shared/caller';
import { contextOf } from '@caas/messaging/src/rpc/command-context';
import { CommandExecutor } from '../shared/command-executor';
import { newId } from '../shared/new-id';
import { ReadYourWrites } from '@caas/read-model';
import { tenantInScope } from '@caas/messaging/src/rpc/tenant-scope';
import { EVENT_STORE } from '../shared/tokens';
import { TenantCommands } from '../tenant/tenant-commands';
import { TenantReader } from '../tenant/tenant-reader';
import { apiKeySecretStream, newApiKeySecret, storeApiKeySecret } from './api-key-secret';
import { apiKeyDecider } from './apikey.decider';
import { apiKeyStream } from './apikey.events';
import { ApiKeyQueries } from './apikey.queries';

@Controller()
@UseFilters(RpcErrorFilter)
export class ApiKeyHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly executor: CommandExecutor,
    private readonly readYourWrites: ReadYourWrites,
    private readonly tenants: TenantCommands,
    private readonly reader: TenantReader,
    private readonly queries: ApiKeyQueries,
  ) {}

  /**
   * The key is recorded first (the decider refuses before anything is written), then its
   * secret's hash. A crash in between leaves a key that can never authenticate — to be
   * revoked — never a usable secret without a key. The secret is in this reply only.
   *
   * A retry under the same command id (its answer was lost) names the same key: if the
   * first attempt stored no secret, this one does and answers it; if it did, that secret
   * was never shown and cannot be recovered, so the retry is refused.
   */
  @MessagePattern(TENANCY.createApiKey)
  async create(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<CreatedApiKey> {
    const { name, role } = await validated(CreateApiKeyV1, payload);
    const tenantId = tenantInScope(meta);
    const tenant = await this.tenants.accessOf(tenantId, callerOf(meta));
    const keyId = newId(meta, 'apikey');
    const { secret, prefix, secretHash } = newApiKeySecret();
    const context = contextOf(meta, tenantId);
    const command = { kind: 'CreateApiKey', keyId, name, role, prefix, tenant } as const;
    await this.executor.execute(apiKeyDecider, apiKeyStream(keyId), command, context);
    const stored = await storeApiKeySecret(
      this.store,
      keyId,
      secretHash,
      eventMetadata(context, { kind: 'CreateApiKey' }),
    ).catch((error: unknown) => {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      throw conflict(
        `API key '${keyId}' was created by an earlier attempt of this request, and its secret can be shown only then: revoke it and create another`,
        { keyId },
      );
    });
    await this.readYourWrites.streamApplied(apiKeySecretStream(keyId), stored.nextExpectedRevision);
    return { keyId, secret };
  }

  @MessagePattern(TENANCY.revokeApiKey)
  async revoke(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ keyId: string }> {
    const { keyId } = await validated(ApiKeyRefV1, payload);
    const tenantId = tenantInScope(meta);
    const tenant = await this.tenants.accessOf(tenantId, callerOf(meta));
    await this.executor.execute(
      apiKeyDecider,
      apiKeyStream(keyId),
      { kind: 'RevokeApiKey', keyId, tenant },
      contextOf(meta, tenantId),
    );
    return { keyId };
  }

  /** Without secrets: the prefix is all that is shown after creation. */
  @MessagePattern(TENANCY.listApiKeys)
  async list(@Meta() meta: RequestMeta): Promise<ApiKeyView[]> {
    const { tenantId } = await this.reader.scope(meta);
    return this.queries.list(tenantId);
  }

  /** Called by the gateway with a presented secret; unknown, revoked or deleted-tenant keys alike are unauthenticated. */
  @MessagePattern(TENANCY.verifyApiKey)
  async verify(@Payload() payload: unknown): Promise<AuthenticatedApiKey> {
    const { secret } = await validated(VerifyApiKeyV1, payload);
    const key = await this.queries.bySecret(secret);
    if (!key) throw new CaasError('unauthenticated', 'Unknown or revoked API key');
    return key;
  }
}
