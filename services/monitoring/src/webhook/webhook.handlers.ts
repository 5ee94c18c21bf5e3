import {
  ListWebhookDeliveriesV1,
  MONITORING_WEBHOOKS,
  RegisterWebhookV1,
  RequestWebhookRedeliveryV1,
  UpdateWebhookV1,
  type WebhookDeliveryView,
  type WebhookRedeliveryView,
  WebhookRefV1,
  type WebhookView,
  type WebhookWithSecretView,
  notFound,
} from '@caas/contracts';
import { type CommandContext, handleCommand, loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { contextOf, newId } from '@caas/messaging/src/rpc/command-context';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { tenantMember } from '@caas/messaging/src/rpc/tenant-scope';
import { ReadYourWrites, withAdvisoryLock } from '@caas/read-model';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import { lastEventSequence } from '../delivery/events-range';
import type { MonitoringConfig } from '../monitoring.config';
import { EVENT_STORE, MONITORING_CONFIG, MONITORING_DATA_SOURCE, NATS_CONNECTION } from '../shared/tokens';
import { checkWebhookUrl } from './webhook-url';
import { WebhookSecrets } from './webhook-secrets';
import { type WebhookCommand, webhookDecider } from './webhook.decider';
import { webhookStream } from './webhook.events';
import { type WebhookCaller, requireManager, requireOwnWebhook } from './webhook.guards';
import { WebhookQueries } from './webhook.queries';
import { type WebhookSettings, webhookSettingsOf } from './webhook.settings';

/**
 * A tenant's webhooks over NATS. The tenant is the credential's (`Caas-Tenant-Id`);
 * another tenant's webhook is not found. Owners and admins manage, every member reads.
 * Commands answer once the webhooks view shows their change.
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class WebhookHandlers {
  private readonly queries: WebhookQueries;
  private readonly secrets: WebhookSecrets;
  private readonly settings: WebhookSettings;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MONITORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MONITORING_CONFIG) config: MonitoringConfig,
    @Inject(ReadYourWrites) private readonly readYourWrites: ReadYourWrites,
  ) {
    this.queries = new WebhookQueries(dataSource);
    this.secrets = new WebhookSecrets(store);
    this.settings = webhookSettingsOf(config.webhooks);
  }

  /**
   * The secret goes to its private stream first: a webhook never exists without one.
   * Registrations of one tenant take turns (an advisory lock, across instances) from
   * counting to the read model showing the new one, so racing ones cannot pass the limit.
   */
  @MessagePattern(MONITORING_WEBHOOKS.register)
  async register(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<WebhookWithSecretView> {
    const body = await validated(RegisterWebhookV1, payload);
    const caller = tenantMember(meta);
    requireManager(caller, 'register webhooks');
    const url = checkWebhookUrl(body.url, this.settings);
    const webhookId = newId(meta, 'webhook');
    const secret = await withAdvisoryLock(this.dataSource, `monitoring.webhooks.${caller.tenantId}`, () =>
      this.registerAlone(meta, caller, webhookId, url, body),
    );
    return { ...(await this.view(caller, webhookId)), secret };
  }

  private async registerAlone(
    meta: RequestMeta,
    caller: WebhookCaller,
    webhookId: string,
    url: string,
    body: RegisterWebhookV1,
  ): Promise<string> {
    const command: WebhookCommand = {
      kind: 'RegisterWebhook',
      caller,
      webhookId,
      url,
      eventTypes: body.eventTypes,
      description: body.description ?? '',
      webhooksOfTenant: await this.queries.count(caller.tenantId),
      at: new Date().toISOString(),
    };
    const { state } = await loadState(this.store, webhookDecider, webhookStream(webhookId));
    // A refused registration leaves no secret behind (unless it is a retry of one that got through).
    if (!meta.commandId || !state.exists) webhookDecider.decide(command, state);
    const context = contextOf(meta, caller.tenantId);
    const secret = await this.secrets.record(webhookId, context, 'register');
    await this.run(context, webhookId, command);
    return secret;
  }

  @MessagePattern(MONITORING_WEBHOOKS.list)
  async list(@Payload() _payload: unknown, @Meta() meta: RequestMeta): Promise<WebhookView[]> {
    return this.queries.list(tenantMember(meta).tenantId);
  }

  @MessagePattern(MONITORING_WEBHOOKS.get)
  async get(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<WebhookView> {
    const { webhookId } = await validated(WebhookRefV1, payload);
    return this.view(tenantMember(meta), webhookId);
  }

  @MessagePattern(MONITORING_WEBHOOKS.update)
  async update(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<WebhookView> {
    const body = await validated(UpdateWebhookV1, payload);
    const caller = tenantMember(meta);
    await this.own(caller, body.webhookId);
    requireManager(caller, 'change webhooks');
    const url = body.url === undefined ? undefined : checkWebhookUrl(body.url, this.settings);
    await this.run(contextOf(meta, caller.tenantId), body.webhookId, {
      kind: 'UpdateWebhook',
      caller,
      webhookId: body.webhookId,
      url,
      eventTypes: body.eventTypes,
      description: body.description,
      enabled: body.enabled,
    });
    return this.view(caller, body.webhookId);
  }

  /** The new secret takes effect with the next attempt; the old one stops signing at once. */
  @MessagePattern(MONITORING_WEBHOOKS.rotateSecret)
  async rotateSecret(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<WebhookWithSecretView> {
    const { webhookId } = await validated(WebhookRefV1, payload);
    const caller = tenantMember(meta);
    await this.own(caller, webhookId);
    requireManager(caller, 'rotate webhook secrets');
    const context = contextOf(meta, caller.tenantId);
    const secret = await this.secrets.record(webhookId, context, 'rotate');
    await this.run(context, webhookId, {
      kind: 'RotateWebhookSecret',
      caller,
      webhookId,
      at: new Date().toISOString(),
    });
    return { ...(await this.view(caller, webhookId)), secret };
  }

  @MessagePattern(MONITORING_WEBHOOKS.remove)
  async remove(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ webhookId: string }> {
    const { webhookId } = await validated(WebhookRefV1, payload);
    const caller = tenantMember(meta);
    await this.run(contextOf(meta, caller.tenantId), webhookId, { kind: 'RemoveWebhook', caller, webhookId });
    return { webhookId };
  }

  /** Up to CAAS_EVENTS' last sequence now: what comes later is delivered live anyway. */
  @MessagePattern(MONITORING_WEBHOOKS.requestRedelivery)
  async requestRedelivery(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<WebhookRedeliveryView> {
    const { webhookId, fromSequence } = await validated(RequestWebhookRedeliveryV1, payload);
    const caller = tenantMember(meta);
    const redeliveryId = newId(meta, 'redelivery');
    const result = await this.run(contextOf(meta, caller.tenantId), webhookId, {
      kind: 'RequestWebhookRedelivery',
      caller,
      webhookId,
      redeliveryId,
      fromSequence,
      toSequence: await lastEventSequence(this.nc),
    });
    // A retried request answers the redelivery its first attempt recorded.
    const recorded = result.events.find((event) => event.type === 'WebhookRedeliveryRequested');
    if (recorded?.type !== 'WebhookRedeliveryRequested') throw new Error('No redelivery was recorded');
    const { data } = recorded;
    return {
      redeliveryId: data.redeliveryId,
      webhookId,
      fromSequence: data.fromSequence,
      toSequence: data.toSequence,
    };
  }

  @MessagePattern(MONITORING_WEBHOOKS.listDeliveries)
  async listDeliveries(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<WebhookDeliveryView[]> {
    const { webhookId, limit } = await validated(ListWebhookDeliveriesV1, payload);
    const caller = tenantMember(meta);
    await this.view(caller, webhookId);
    return this.queries.deliveries(caller.tenantId, webhookId, limit ?? 50);
  }

  private async view(caller: WebhookCaller, webhookId: string): Promise<WebhookView> {
    const view = await this.queries.get(caller.tenantId, webhookId);
    if (!view) throw notFound('Webhook', webhookId);
    return view;
  }

  /** From the stream: not found before forbidden, so a viewer learns nothing of other tenants' ids. */
  private async own(caller: WebhookCaller, webhookId: string): Promise<void> {
    const { state } = await loadState(this.store, webhookDecider, webhookStream(webhookId));
    requireOwnWebhook(state, caller, webhookId);
  }

  private async run(context: CommandContext, webhookId: string, command: WebhookCommand) {
    const stream = webhookStream(webhookId);
    const result = await handleCommand(this.store, webhookDecider, stream, command, context);
    await this.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
    return result;
  }
}
